namespace Mnemo.Data;

/// <summary>The train and test parts of one dataset.</summary>
public sealed class DatasetSplit : IDisposable
{
    public ImageDataset Train { get; }
    public ImageDataset Test { get; }

    public DatasetSplit(ImageDataset train, ImageDataset test)
    {
        Train = train;
        Test = test;
    }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
