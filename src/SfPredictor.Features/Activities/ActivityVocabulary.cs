namespace SfPredictor.Features.Activities;

/// <summary>
/// The built-in words of the six default activity kinds in English, Spanish, Portuguese, French, German
/// and Italian: Type picklist values and subject keywords, as sales teams write them ("Llamada de
/// seguimiento", "Cotización enviada", "Rendez-vous", "Angebot senden"). Matching folds case and accents,
/// so each word is listed once without accents; plural and verb forms are listed where people use them.
/// </summary>
internal static class ActivityVocabulary
{
    /// <summary>Language codes with a built-in vocabulary, in the order they are applied.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "es", "pt", "fr", "de", "it"];

    // Words that read the same in every language (titles, acronyms): always part of the defaults.
    private static readonly Dictionary<string, Words> Common = new(StringComparer.Ordinal)
    {
        [Executive] = new([], ["ceo", "cfo", "cio", "cto", "coo", "cro", "cmo", "cso", "cpo", "vp", "svp", "evp", "c-level", "c-suite"]),
        [Demo] = new(["Demo"], ["demo", "demos"]),
        [Email] = new(["Email", "E-mail", "ListEmail"], ["email", "e-mail", "mail", "emails"]),
    };

    private static readonly Dictionary<string, Dictionary<string, Words>> ByLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = new(StringComparer.Ordinal)
        {
            [Executive] = new(["Executive Meeting", "Executive Briefing"], ["executive", "executives", "exec", "execs", "sponsor", "board", "vice president", "president"]),
            [Demo] = new(["Demonstration"], ["demonstration", "walkthrough", "walk-through"]),
            [Proposal] = new(["Proposal", "Quote"], ["proposal", "proposals", "quote", "quotes", "quotation", "pricing"]),
            [Meeting] = new(["Meeting", "Event", "Visit"], ["meeting", "meet", "visit", "onsite", "on-site", "workshop"]),
            [Call] = new(["Call"], ["call", "phone", "rang"]),
            [Email] = new([], []),
        },
        ["es"] = new(StringComparer.Ordinal)
        {
            [Executive] = new(["Reunión ejecutiva"], ["ejecutivo", "ejecutivos", "ejecutiva", "director general", "directora general", "consejero delegado", "gerente general", "junta directiva", "patrocinador", "comite de direccion"]),
            [Demo] = new(["Demostración"], ["demostracion", "demostraciones", "prueba de concepto"]),
            [Proposal] = new(["Propuesta", "Cotización", "Presupuesto", "Oferta"], ["propuesta", "propuestas", "cotizacion", "cotizaciones", "presupuesto", "presupuestos", "oferta", "ofertas", "precios"]),
            [Meeting] = new(["Reunión", "Visita"], ["reunion", "reuniones", "visita", "visitas", "taller de", "cita", "almuerzo"]),
            [Call] = new(["Llamada"], ["llamada", "llamadas", "llamar", "telefono", "telefonica", "telefonico"]),
            [Email] = new(["Correo", "Correo electrónico"], ["correo", "correos"]),
        },
        ["pt"] = new(StringComparer.Ordinal)
        {
            [Executive] = new(["Reunião executiva"], ["executivo", "executivos", "executiva", "diretoria", "diretor geral", "diretora geral", "patrocinador", "conselho"]),
            [Demo] = new(["Demonstração"], ["demonstracao", "demonstracoes", "prova de conceito"]),
            [Proposal] = new(["Proposta", "Cotação", "Orçamento"], ["proposta", "propostas", "cotacao", "cotacoes", "orcamento", "orcamentos", "precos"]),
            [Meeting] = new(["Reunião", "Visita"], ["reuniao", "reunioes", "visita", "visitas", "encontro", "almoco"]),
            [Call] = new(["Ligação", "Chamada"], ["ligacao", "ligacoes", "ligar", "chamada", "chamadas", "telefonema", "telefone"]),
            [Email] = new([], ["correio"]),
        },
        ["fr"] = new(StringComparer.Ordinal)
        {
            [Executive] = new(["Réunion de direction"], ["dirigeant", "dirigeants", "direction generale", "directeur general", "directrice generale", "pdg", "comite de direction", "codir"]),
            [Demo] = new(["Démonstration"], ["demonstration", "demonstrations"]),
            [Proposal] = new(["Proposition", "Devis", "Offre"], ["proposition", "propositions", "devis", "offre", "offres", "tarif", "tarifs", "cotation"]),
            [Meeting] = new(["Réunion", "Rendez-vous", "Visite"], ["reunion", "reunions", "rendez vous", "rdv", "visite", "visites", "atelier", "dejeuner"]),
            [Call] = new(["Appel"], ["appel", "appels", "appeler", "rappeler", "telephone", "telephonique"]),
            [Email] = new(["Courriel"], ["courriel", "courriels"]),
        },
        ["de"] = new(StringComparer.Ordinal)
        {
            [Executive] = new(["Vorstandstermin"], ["geschaftsfuhrer", "geschaftsfuhrerin", "geschaftsfuhrung", "vorstand", "vorstandin", "entscheider"]),
            [Demo] = new(["Vorführung"], ["vorfuhrung", "produktvorfuhrung", "produktdemo", "produktprasentation"]),
            [Proposal] = new(["Angebot"], ["angebot", "angebote", "angebots", "preisangebot", "kostenvoranschlag", "preise"]),
            [Meeting] = new(["Besprechung", "Termin", "Besuch"], ["besprechung", "termin", "treffen", "besuch", "kundenbesuch", "mittagessen"]),
            [Call] = new(["Anruf", "Telefonat"], ["anruf", "anrufen", "telefonat", "telefonisch", "telefon", "ruckruf"]),
            [Email] = new([], []),
        },
        ["it"] = new(StringComparer.Ordinal)
        {
            [Executive] = new(["Riunione direzionale"], ["dirigente", "dirigenti", "direttore generale", "direttrice generale", "amministratore delegato", "direzione"]),
            [Demo] = new(["Dimostrazione"], ["dimostrazione", "dimostrazioni"]),
            [Proposal] = new(["Proposta", "Preventivo", "Offerta"], ["proposta", "proposte", "preventivo", "preventivi", "offerta", "offerte", "quotazione", "prezzi"]),
            [Meeting] = new(["Riunione", "Incontro", "Visita"], ["riunione", "riunioni", "incontro", "incontri", "visita", "appuntamento", "pranzo"]),
            [Call] = new(["Chiamata", "Telefonata"], ["chiamata", "chiamate", "chiamare", "richiamare", "telefonata", "telefonate"]),
            [Email] = new([], ["posta"]),
        },
    };

    private const string Executive = "Executive Meeting";
    private const string Demo = "Demo";
    private const string Proposal = "Proposal";
    private const string Meeting = "Meeting";
    private const string Call = "Call";
    private const string Email = "Email";

    /// <summary>Whether a language code has a built-in vocabulary (case-insensitive).</summary>
    public static bool IsKnown(string language) => ByLanguage.ContainsKey(language.Trim());

    /// <summary>
    /// The six default kinds, most specific first (Executive Meeting, Demo, Proposal, Meeting, Call, Email),
    /// with the words of the given languages (empty: all of them). A new list on every call.
    /// </summary>
    /// <exception cref="ArgumentException">A language has no built-in vocabulary.</exception>
    public static IReadOnlyList<ActivityKind> DefaultKinds(IEnumerable<string>? languages = null)
    {
        var chosen = languages?.Select(l => l.Trim()).Where(l => l.Length > 0).ToList() is { Count: > 0 } list ? list : [.. Languages];
        foreach (var language in chosen)
        {
            if (!IsKnown(language))
            {
                throw new ArgumentException($"No built-in activity vocabulary for language '{language}'; known: {string.Join(", ", Languages)}.", nameof(languages));
            }
        }

        ActivityKind Kind(string name, IList<string> channels)
        {
            var kind = new ActivityKind { Name = name, KeywordChannels = channels };
            foreach (var words in chosen.Select(l => ByLanguage[l][name]).Prepend(Common.GetValueOrDefault(name) ?? new Words([], [])))
            {
                foreach (var type in words.Types.Where(t => !kind.Types.Contains(t, StringComparer.OrdinalIgnoreCase)))
                {
                    kind.Types.Add(type);
                }

                foreach (var keyword in words.Keywords.Where(k => !kind.SubjectKeywords.Contains(k, StringComparer.OrdinalIgnoreCase)))
                {
                    kind.SubjectKeywords.Add(keyword);
                }
            }

            return kind;
        }

        // Demo keywords in an Email are a follow-up about a demo, not a demo; hence the channels.
        return
        [
            Kind(Executive, [Meeting, Call, Demo]),
            Kind(Demo, [Meeting, Call]),
            Kind(Proposal, []),
            Kind(Meeting, [Meeting]),
            Kind(Call, [Call]),
            Kind(Email, [Email]),
        ];
    }

    private sealed record Words(string[] Types, string[] Keywords);
}
