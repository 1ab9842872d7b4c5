using System.Reflection;

namespace SfPredictor.Recommendations.Tests;

public sealed class RecommendationOptionsTests
{
    [Fact]
    public void Copy_EverySettingChanged_CarriesEverySettingAndItsOwnDisabledList()
    {
        var options = new RecommendationOptions();
        var settings = typeof(RecommendationOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var setting in settings)
        {
            setting.SetValue(options, Changed(setting, setting.GetValue(options)));
        }

        var copy = options.Copy();
        copy.DisabledKinds.Add("Demo");

        foreach (var setting in settings.Where(p => p.Name != nameof(RecommendationOptions.DisabledKinds)))
        {
            Assert.Equal(setting.GetValue(options), setting.GetValue(copy));
        }

        Assert.Equal(["Meeting"], options.DisabledKinds);
        Assert.Equal(["Meeting", "Demo"], copy.DisabledKinds);
    }

    // A value other than the default for each type of setting; a setting of a new type fails here until it is added.
    private static object Changed(PropertyInfo setting, object? current) => current switch
    {
        int number => number + 1,
        double number => number + 0.25,
        bool flag => !flag,
        ExplanationMethod method => method == ExplanationMethod.TreePath ? ExplanationMethod.Replacement : ExplanationMethod.TreePath,
        IList<string> => new List<string> { "Meeting" },
        _ => throw new InvalidOperationException($"RecommendationOptions.{setting.Name} has a type this test does not change yet."),
    };
}
