// k-means (k = classes of the task, best of 10 k-means++ starts, as a label-free task's first clustering) on three kinds
// of features of 2000 training images of each task, scored against the labels with the Hungarian-matched accuracy:
// the pixels, a freshly initialised MeRGAN critic, and (given a checkpoint) the run's trained critic.
//   dotnet run -c Release --project docs/scripts/cluster-probe -- [DATASET] [TASKS] [RUN/checkpoints/step-N.ckpt]
using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.LabelFree;
using Mnemo.Networks;
using Mnemo.SelfConditioned;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

string dataset = args.Length > 0 ? args[0] : "mnist";
var tasks = TaskSequence.Parse(args.Length > 1 ? args[1] : "0+1,2+3,4+5,6+7,8+9", 10);
string? checkpointPath = args.Length > 2 ? args[2] : null;
torch.set_num_threads(1);
using var split = DatasetLoader.Load(dataset, DataRoot.Resolve(null), 32, Console.WriteLine);
int conditions = tasks.Count * tasks.Tasks.Max(t => t.Length);

ConditionalCritic? trained = null;
if (checkpointPath is not null)
{
    // The critic's shape is the run's: k clusters × its tasks (the run folder holds checkpoints/).
    var (_, stored) = RunFolder.Open(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(checkpointPath)!, "..")));
    var run = RunSettings.FromJson<MerganOptions>(stored, MerganOptions.SystemName);
    var runTasks = TaskSequence.Parse(run.Tasks, 10);
    conditions = runTasks.Count * run.EffectiveClustersPerTask(runTasks);
    var checkpoint = Checkpoint.Load(checkpointPath);
    trained = ConditionalCritic.ForImageSize(conditions, split.Train.Channels, 32, 32);
    checkpoint.LoadModule("critic", trained);
    Console.WriteLine($"trained critic: {checkpointPath} (step {checkpoint.Step})");
}
torch.manual_seed(12345);
using var fresh = ConditionalCritic.ForImageSize(conditions, split.Train.Channels, 32, 32);

foreach (var task in tasks.Tasks)
{
    using var images = split.Train.WhereClass(task);
    var rng = new Random(7);
    var idx = Enumerable.Range(0, images.Count).OrderBy(_ => rng.Next()).Take(2000).Select(i => (long)i).ToArray();
    using var indices = tensor(idx);
    using var x = images.Batch(indices);
    var labels = idx.Select(i => images.Labels[i]).ToArray();
    var line = $"{string.Join('+', task),-10}";
    foreach (var (name, critic) in new (string, ConditionalCritic?)[] { ("pixels", null), ("fresh critic", fresh), ("trained critic", trained) })
    {
        if (name == "trained critic" && critic is null) continue;
        using var features = Features(critic, x);
        var kmeans = KMeans.Fit(features, task.Length, new Random(23));
        line += $"  {name} {ClusterAgreement.Of(kmeans.Predict(features), labels).Accuracy,6:P1}";
        kmeans.Centers.Dispose();
    }
    Console.WriteLine(line);
}

static Tensor Features(ConditionalCritic? critic, Tensor x)
{
    using var _ = no_grad();
    if (critic is null) return x.flatten(1);
    critic.eval();
    return critic.Features(x);
}
