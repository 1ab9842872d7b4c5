using Microsoft.Extensions.Options;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Records;

namespace SfPredictor.Features.Tests.Activities;

public class ActivityVocabularyTests
{
    private static readonly ActivityKindMapper Defaults = new(new FeatureOptions().EffectiveActivityKinds());

    private static Activity Task(string? subject, string? type = null, IReadOnlyDictionary<string, string?>? custom = null) =>
        new SfTask { Id = "00T000000000001AAA", Subject = subject, Type = type, Custom = custom ?? EmptyFields.Instance }.AsActivity();

    [Theory]
    [InlineData("Llamada de seguimiento", "Call")]
    [InlineData("Reunión", "Meeting")]
    [InlineData("REUNION con el cliente", "Meeting")]
    [InlineData("Demostración", "Demo")]
    [InlineData("Enviar propuesta", "Proposal")]
    [InlineData("Cotización enviada", "Proposal")]
    [InlineData("Rendez-vous", "Meeting")]
    [InlineData("Angebot senden", "Proposal")]
    [InlineData("Telefonat mit Frau Müller", "Call")]
    [InlineData("Abstimmung mit der Geschäftsführung", "Executive Meeting")]
    [InlineData("Reunião com a diretoria", "Executive Meeting")]
    [InlineData("Ligação de acompanhamento", "Call")]
    [InlineData("Devis envoyé", "Proposal")]
    [InlineData("Riunione con il direttore generale", "Executive Meeting")]
    [InlineData("Preventivo inviato", "Proposal")]
    [InlineData("Correo: próximos pasos", "Email")]
    [InlineData("Seguimiento", null)]
    [InlineData("Actualizar oportunidad", null)]
    public void Map_SubjectsInSixLanguagesWithoutType_AreKindsWithNoSettings(string subject, string? expected) =>
        Assert.Equal(expected, Defaults.Map(Task(subject)));

    [Theory]
    [InlineData("Llamada", "Call")]
    [InlineData("REUNIÓN", "Meeting")]
    [InlineData("Cotizacion", "Proposal")]
    [InlineData("Vorführung", "Demo")]
    public void Map_TypeValuesInOtherLanguages_IgnoreCaseAndAccents(string type, string expected) =>
        Assert.Equal(expected, Defaults.Map(Task("x", type)));

    [Fact]
    public void EffectiveActivityKinds_OneLanguage_KnowsOnlyItsWords()
    {
        var mapper = new ActivityKindMapper(new FeatureOptions { ActivityLanguages = ["de"] }.EffectiveActivityKinds());

        Assert.Equal("Proposal", mapper.Map(Task("Angebot senden")));
        Assert.Null(mapper.Map(Task("Enviar propuesta")));
        Assert.Equal("Executive Meeting", mapper.Map(Task("Termin mit dem CFO")));
    }

    [Fact]
    public void EffectiveActivityKinds_RenamedAddedAndDisabledKinds_AreResolvedInOrder()
    {
        var options = new FeatureOptions
        {
            RenamedActivityKinds = new Dictionary<string, string> { ["Call"] = "Llamada" },
            AdditionalActivityKinds =
            [
                new ActivityKind { Name = "Site visit", SubjectKeywords = ["visita de obra"], SubjectPatterns = ["^visit(a|e)? (a|to) (obra|site)"] },
                new ActivityKind { Name = "Llamada", Types = ["Telefonema interno"] },
            ],
            DisabledActivityKinds = ["Email"],
        };
        var kinds = options.EffectiveActivityKinds();
        var mapper = new ActivityKindMapper(kinds);

        Assert.Equal(["Site visit", "Executive Meeting", "Demo", "Proposal", "Meeting", "Llamada"], kinds.Select(k => k.Name));
        Assert.Equal("Site visit", mapper.Map(Task("Visita de obra en Sevilla")));
        Assert.Equal("Site visit", mapper.Map(Task("Visit to site B", "Meeting")));
        Assert.Equal("Llamada", mapper.Map(Task("x", "Telefonema interno")));
        Assert.Equal("Llamada", mapper.Map(Task("Phone call")));
        Assert.Null(mapper.Map(Task("Email: intro", "Email")));
    }

    [Fact]
    public void Map_OrgTypeField_ComesBeforeTypeAndSubject()
    {
        var options = new FeatureOptions
        {
            ActivityTypeFields = ["Activity_Type__c"],
            AdditionalActivityKinds = [new ActivityKind { Name = "Call", Types = ["Phone"] }, new ActivityKind { Name = "Workshop", Types = ["Atelier client"] }],
        };
        var mapper = new ActivityKindMapper(options.EffectiveActivityKinds(), options.ActivityTypeFields.ToList());
        IReadOnlyDictionary<string, string?> Field(string value) => new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Activity_Type__c"] = value };

        Assert.Equal("Call", mapper.Map(Task("Follow up", "Email", Field("PHONE"))));
        Assert.Equal("Workshop", mapper.Map(Task("Kick-off", null, Field("Atelier client"))));
        Assert.Equal("Workshop", mapper.Map(Task("Kick-off", null, Field("Other;Atelier client"))));
        Assert.Equal("Email", mapper.Map(Task("Follow up", "Email", Field("Admin"))));
    }

    [Theory]
    [InlineData("SfPredictor:Features:AdditionalActivityKinds:0:SubjectPatterns:1")]
    public void Validate_PatternThatDoesNotCompile_NamesTheSetting(string key)
    {
        var options = new FeatureOptions { AdditionalActivityKinds = [new ActivityKind { Name = "Site visit", SubjectPatterns = ["^visita", "(obra"] }] };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains(error.Failures, f => f.StartsWith(key, StringComparison.Ordinal) && f.Contains("(obra", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownLanguageKindOrField_NamesEachSetting()
    {
        var options = new FeatureOptions
        {
            ActivityLanguages = ["es", "klingon"],
            DisabledActivityKinds = ["Fax"],
            RenamedActivityKinds = new Dictionary<string, string> { ["Telex"] = "X" },
            ActivityTypeFields = ["Activity Type"],
        };

        var failures = Assert.Throws<OptionsValidationException>(options.Validate).Failures.ToList();

        Assert.Contains(failures, f => f.StartsWith("SfPredictor:Features:ActivityLanguages:1 'klingon'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SfPredictor:Features:DisabledActivityKinds:0 'Fax'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SfPredictor:Features:RenamedActivityKinds:Telex", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SfPredictor:Features:ActivityTypeFields:0 'Activity Type'", StringComparison.Ordinal));
    }

    [Fact]
    public void OrgIndex_TypeFieldOnNoActivity_StopsNamingTheSetting()
    {
        var org = new OrgBuilder();
        var opportunity = org.Opportunity(0, "Prospecting");
        org.Task(1, opportunity, subject: "Call");

        var error = Assert.Throws<ArgumentException>(() => new OrgIndex(org.Build(), new FeatureOptions { ActivityTypeFields = ["Activity_Typ__c"] }));

        Assert.StartsWith("SfPredictor:Features:ActivityTypeFields:0 'Activity_Typ__c' is on no Task or Event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coverage_NothingRecognised_WarnsLoudlyAndCountsTypesAndWordsOnly()
    {
        var org = new OrgBuilder();
        var opportunity = org.Opportunity(0, "Prospecting");
        org.Close(opportunity, 30, "Closed Won", won: true);
        org.Task(1, opportunity, type: "Seguimiento", subject: "Hablar con María sobre el 2º pedido");
        org.Task(2, opportunity, type: "Seguimiento", subject: "Hablar con Juan");
        org.Task(3, null, subject: "Not linked to a deal");

        var coverage = ActivityKindCoverage.Measure(org.Build(), new OrgIndex(org.Build(), new FeatureOptions { ActivityLanguages = ["en"] }));

        Assert.Equal(2, coverage.LinkedActivities);
        Assert.Equal(2, coverage.Unrecognised);
        Assert.StartsWith("WARNING: none of the 2 activities", coverage.Warning, StringComparison.Ordinal);
        Assert.Equal([new ValueCount("Seguimiento", 2)], coverage.UnrecognisedTypes);
        Assert.Contains(new ValueCount("hablar", 2), coverage.UnrecognisedWords);
        Assert.DoesNotContain(coverage.UnrecognisedWords, w => w.Value.Contains(' ', StringComparison.Ordinal) || w.Value.Any(char.IsDigit));
        Assert.Contains("\"Seguimiento\"", coverage.SuggestedSettings(), StringComparison.Ordinal);
        Assert.All(coverage.Kinds, k => Assert.Equal(0, k.ClosedDeals));
    }
}
