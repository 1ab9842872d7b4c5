using Microsoft.Extensions.Options;
using SfPredictor.Features.Activities;

namespace SfPredictor.Features.Tests;

public class FeatureOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(new ValidateFeatureOptions().Validate(null, new FeatureOptions()).Succeeded);

    [Fact]
    public void Validate_BadSettings_NameEachOne()
    {
        var options = new FeatureOptions
        {
            ActivityWindowsDays = [7, 0, 7],
            ActivityKinds = [new ActivityKind { Name = "Call" }, new ActivityKind { Name = "call" }, new ActivityKind { Name = "Any" }],
            ExtraFields = [new ExtraField { Field = "X__c" }, new ExtraField { Field = "x__c" }],
        };

        var result = new ValidateFeatureOptions().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("ActivityWindowsDays:1", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("lists a window twice", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ActivityKinds:1:Name", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ActivityKinds:2:Name", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ExtraFields:1", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AttributeViolations_AreReported()
    {
        var options = new FeatureOptions { MaxCategories = 0, CorporateCurrency = "Euro" };
        options.ExtraFields.Add(new ExtraField { Field = "" });

        var result = new ValidateFeatureOptions().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("MaxCategories", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CorporateCurrency", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Field", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void OrgIndex_InvalidOptions_Throws()
    {
        var options = new FeatureOptions { ActivityWindowsDays = [-3] };

        Assert.Throws<OptionsValidationException>(() => new SfPredictor.Features.Indexing.OrgIndex(new OrgBuilder().Build(), options));
    }
}
