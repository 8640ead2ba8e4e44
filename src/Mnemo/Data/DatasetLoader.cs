namespace Mnemo.Data;

/// <summary>Loads a dataset by name for training, fetching MNIST / Fashion-MNIST first when they are missing.</summary>
public static class DatasetLoader
{
    /// <param name="imageSize">Side of the square images (28×28 sets are padded to 32; folders are resized).</param>
    /// <exception cref="MnemoException">Unknown dataset, missing or corrupt files.</exception>
    public static DatasetSplit Load(string dataset, string dataRoot, int imageSize, Action<string> log)
    {
        DatasetFetcher.EnsureFetched(dataRoot, dataset, log);
        return DatasetCatalog.Load(dataset, dataRoot, imageSize);
    }
}
