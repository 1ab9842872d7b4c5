using System.Security.Cryptography;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>An RSA key generated for the test run (no key file is committed); generating one is slow, so tests share it.</summary>
public sealed class TestKey : IDisposable
{
    public RSA Rsa { get; } = RSA.Create(2048);

    public void Dispose() => Rsa.Dispose();
}
