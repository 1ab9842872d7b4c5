namespace SfPredictor.Records.Tests;

public sealed class StringPoolTests
{
    [Fact]
    public void Get_EqualValues_GiveOneString()
    {
        var pool = new StringPool();
        var first = pool.Get("Prospecting");

        Assert.Same(first, pool.Get("Prospecting".AsSpan()));
        Assert.Same(first, pool.Get(new string("Prospecting".AsSpan())));
    }

    [Fact]
    public void Get_LongerThanTheLimit_IsNotShared()
    {
        var pool = new StringPool(maxPooledLength: 5);
        var text = new string('x', 6);

        Assert.NotSame(pool.Get(text.AsSpan()), pool.Get(text.AsSpan()));
        Assert.Same(pool.Get("short".AsSpan()), pool.Get("short".AsSpan()));
    }
}
