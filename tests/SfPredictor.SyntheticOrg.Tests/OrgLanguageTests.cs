using SfPredictor.Records;

namespace SfPredictor.SyntheticOrg.Tests;

public class OrgLanguageTests
{
    private static OrgData Generate(string language = "en", bool blank = false, string? field = null) =>
        SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 200, Seed = 4, Language = language, BlankActivityTypes = blank, ActivityTypeField = field }).Data;

    [Theory]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("fr")]
    [InlineData("de")]
    [InlineData("it")]
    public void Generate_OtherLanguage_WritesTheSameActivitiesInOtherWords(string language)
    {
        var english = Generate();
        var other = Generate(language);

        Assert.Equal(english.Opportunities.Select(o => (o.Id, o.StageName, o.Amount, o.CloseDate)), other.Opportunities.Select(o => (o.Id, o.StageName, o.Amount, o.CloseDate)));
        Assert.Equal(english.Tasks.Select(t => (t.Id, t.WhatId, t.Type, t.TaskSubtype, t.CreatedDate, t.CompletedDateTime)), other.Tasks.Select(t => (t.Id, t.WhatId, t.Type, t.TaskSubtype, t.CreatedDate, t.CompletedDateTime)));
        Assert.Equal(english.Events.Select(e => (e.Id, e.StartDateTime)), other.Events.Select(e => (e.Id, e.StartDateTime)));
        Assert.True(english.Tasks.Zip(other.Tasks).Count(p => p.First.Subject != p.Second.Subject) > english.Tasks.Count / 2);
    }

    [Fact]
    public void Generate_BlankTypesAndOwnPicklist_LeavesTypesBlankAndFillsThePicklist()
    {
        var english = Generate();
        var org = Generate("es", blank: true, field: "Activity_Type__c");

        Assert.All(org.Tasks, t => Assert.True(t.Type is null && t.TaskSubtype is null));
        Assert.All(org.Events, e => Assert.Null(e.Type));
        Assert.All(org.Tasks.Concat<object>(org.Events), a => Assert.NotNull(((a as SfTask)?.Custom ?? ((SfEvent)a).Custom)["Activity_Type__c"]));
        Assert.All(english.Tasks.Zip(org.Tasks).Where(p => p.First.Type == "Call" && p.First.TaskSubtype == "Call"), p => Assert.Equal("Phone", p.Second.Custom["Activity_Type__c"]));
        Assert.Contains(org.Tasks, t => t.Custom["Activity_Type__c"] == "Admin");
    }

    [Fact]
    public void Generate_UnknownLanguage_IsRefused() =>
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => Generate("xx"));
}
