using SfPredictor.Features.Indexing;

namespace SfPredictor.Features.Tests;

public class ExtraFieldTests
{
    private static FeatureOptions Options(params ExtraField[] fields)
    {
        var options = new FeatureOptions();
        foreach (var field in fields)
        {
            options.ExtraFields.Add(field);
        }

        return options;
    }

    private static Dictionary<string, string?> Fields(params (string Name, string? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Build_ConfiguredExtraFields_BecomeColumns()
    {
        var org = new OrgBuilder().WithCustomStages();
        var gold = org.Account(custom: Fields(("Tier__c", "Gold")));
        var silver = org.Account(custom: Fields(("Tier__c", "Silver")));
        var a = org.Opportunity(0, "Qualify", gold, custom: Fields(("Discount__c", "12.5"), ("Region__c", "EMEA"), ("Strategic__c", "true"), ("Products__c", "Core;Add-on")));
        var b = org.Opportunity(0, "Qualify", silver, custom: Fields(("Discount__c", ""), ("Region__c", "LATAM"), ("Strategic__c", "false")));
        var options = Options(
            new ExtraField { Field = "Discount__c", Kind = ExtraFieldKind.Numeric },
            new ExtraField { Field = "Region__c", Kind = ExtraFieldKind.Picklist, Values = ["EMEA", "APAC"] },
            new ExtraField { Field = "Strategic__c", Kind = ExtraFieldKind.Checkbox },
            new ExtraField { Field = "Products__c", Kind = ExtraFieldKind.Picklist, Values = ["Core", "Add-on", "Services"] },
            new ExtraField { Object = ExtraFieldObject.Account, Field = "Tier__c", Kind = ExtraFieldKind.Picklist });
        options.MinCategoryCount = 1;
        var rows = new Rows(org.Build(), options);
        var rowA = rows.At(a, OrgBuilder.Day(1));
        var rowB = rows.At(b, OrgBuilder.Day(1));

        Assert.Equal(12.5f, rows.Value(rowA, "extra:Opportunity.Discount__c"));
        Assert.True(float.IsNaN(rows.Value(rowB, "extra:Opportunity.Discount__c")));
        Assert.Equal(1f, rows.Value(rowA, "extra:Opportunity.Region__c=EMEA"));
        Assert.Equal(0f, rows.Value(rowA, "extra:Opportunity.Region__c=APAC"));
        Assert.Equal(0f, rows.Value(rowB, "extra:Opportunity.Region__c=EMEA"));
        Assert.Equal(1f, rows.Value(rowA, "extra:Opportunity.Strategic__c"));
        Assert.Equal(0f, rows.Value(rowB, "extra:Opportunity.Strategic__c"));
        Assert.Equal(1f, rows.Value(rowA, "extra:Opportunity.Products__c=Core"));
        Assert.Equal(1f, rows.Value(rowA, "extra:Opportunity.Products__c=Add-on"));
        Assert.Equal(0f, rows.Value(rowA, "extra:Opportunity.Products__c=Services"));
        Assert.Equal(1f, rows.Value(rowA, "extra:Account.Tier__c=Gold"));
        Assert.Equal(1f, rows.Value(rowB, "extra:Account.Tier__c=Silver"));
        Assert.Equal(0f, rows.Value(rowB, "extra:Account.Tier__c=Gold"));
        Assert.Equal(rows.Builder.Width - 1, rows.Builder.Schema.IndexOf("extra:Account.Tier__c=Silver"));
    }

    [Fact]
    public void FeatureBuilder_NumericFieldWithText_NamesRecordAndField()
    {
        var org = new OrgBuilder().WithCustomStages();
        var id = org.Opportunity(0, "Qualify", custom: Fields(("Discount__c", "ten percent")));
        var options = Options(new ExtraField { Field = "Discount__c", Kind = ExtraFieldKind.Numeric });
        var index = new OrgIndex(org.Build(), options);

        var e = Assert.Throws<ArgumentException>(() => new FeatureBuilder(index, options));
        Assert.Contains(id, e.Message, StringComparison.Ordinal);
        Assert.Contains("Discount__c", e.Message, StringComparison.Ordinal);
        Assert.Contains("ten percent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureBuilder_FieldNoRecordHas_SaysSo()
    {
        var org = new OrgBuilder().WithCustomStages();
        org.Opportunity(0, "Qualify", custom: Fields(("Discount__c", "1")));
        var options = Options(new ExtraField { Field = "Dicsount__c", Kind = ExtraFieldKind.Numeric });
        var index = new OrgIndex(org.Build(), options);

        var e = Assert.Throws<ArgumentException>(() => new FeatureBuilder(index, options));
        Assert.Contains("Opportunity.Dicsount__c", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeatureBuilder_CheckboxWithOtherText_Throws()
    {
        var org = new OrgBuilder().WithCustomStages();
        org.Opportunity(0, "Qualify", custom: Fields(("Strategic__c", "maybe")));
        var options = Options(new ExtraField { Field = "Strategic__c", Kind = ExtraFieldKind.Checkbox });

        var e = Assert.Throws<ArgumentException>(() => new FeatureBuilder(new OrgIndex(org.Build(), options), options));
        Assert.Contains("maybe", e.Message, StringComparison.Ordinal);
    }
}
