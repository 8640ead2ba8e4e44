using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Tests.Training;

public class TorchLoadsTests
{
    [Fact]
    public void TorchSharpLoadsAndATinyModelLearns()
    {
        random.manual_seed(1);
        using var model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1));
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        using var x = randn(128, 4);
        using var y = x.matmul(tensor(new float[] { 1, -2, 0.5f, 3 })).unsqueeze(1);
        double first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.05, $"loss went from {first} to {last}");
    }
}
