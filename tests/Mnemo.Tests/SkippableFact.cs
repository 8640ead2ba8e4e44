using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mnemo.Tests;

/// <summary>Thrown by a <see cref="SkippableFactAttribute"/> test that cannot run here (xunit 2 has no Assert.Skip):
/// the test is reported as skipped with this reason, never as passed.</summary>
public sealed class SkipTestException(string reason) : Exception(reason)
{
    public static void If(bool condition, string reason)
    {
        if (condition) throw new SkipTestException(reason);
    }
}

/// <summary>A fact that may decide while it runs that it must be skipped, by throwing <see cref="SkipTestException"/>.</summary>
[XunitTestCaseDiscoverer("Mnemo.Tests.SkippableFactDiscoverer", "Mnemo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippableFactAttribute : FactAttribute;

/// <summary>Finds <see cref="SkippableFactAttribute"/> tests.</summary>
public sealed class SkippableFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        [new SkippableTestCase(diagnostics, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method)];
}

/// <summary>Runs a test and reports a failure by <see cref="SkipTestException"/> as a skip with its message.</summary>
public sealed class SkippableTestCase : XunitTestCase
{
    [Obsolete("For xunit's deserialization only", error: true)]
    public SkippableTestCase() { }

    public SkippableTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method)
        : base(diagnostics, display, displayOptions, method) { }

    public override async Task<RunSummary> RunAsync(IMessageSink diagnostics, IMessageBus bus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellation)
    {
        var skipping = new SkippingBus(bus);
        var summary = await base.RunAsync(diagnostics, skipping, constructorArguments, aggregator, cancellation);
        summary.Failed -= skipping.Skipped;
        summary.Skipped += skipping.Skipped;
        return summary;
    }

    sealed class SkippingBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped;

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(SkipTestException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault()));
            }
            return inner.QueueMessage(message);
        }

        public void Dispose() { }
    }
}
