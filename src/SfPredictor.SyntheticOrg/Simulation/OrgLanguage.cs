using System.Collections.Frozen;
using SfPredictor.Records;
using SfPredictor.SyntheticOrg.Model;

namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>
/// How the org's people write and log activities: in which language their subjects are, whether they
/// fill in Type and TaskSubtype, and whether the org has its own activity type picklist. Applied to the
/// finished records, so the same seed gives the same deals, activities and truth in every language and
/// logging habit (twins that differ only in their words).
/// <para>
/// Subjects are written the way sales teams write them in each language; most name what was done
/// ("Llamada de seguimiento", "Angebot senden"), a few do not ("Seguimiento", "Re: próximos pasos"), as
/// in real orgs.
/// </para>
/// </summary>
internal static class OrgLanguage
{
    /// <summary>The languages the generator writes.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "es", "pt", "fr", "de", "it"];

    /// <summary>The values the org's own activity type picklist holds, per kind; <see cref="OtherValue"/> for activities of no kind.</summary>
    public static IReadOnlyList<string> PicklistValues { get; } = ["Phone", "Mail out", "Face to face", "Product show", "Offer sent", "Board level"];

    /// <summary>The picklist value of activities of no kind.</summary>
    public const string OtherValue = "Admin";

    // Per language, per form name (Vocabulary.AllForms), the subject templates. English template i becomes
    // template i modulo the count; "{n}" and "{v}" keep the English subject's name or version.
    private static readonly Dictionary<string, Dictionary<string, string[]>> Subjects = new(StringComparer.Ordinal)
    {
        ["es"] = new(StringComparer.Ordinal)
        {
            ["Call/0"] = ["Llamada", "Llamada de descubrimiento", "Llamada de seguimiento", "Llamada: buzón de voz", "Llamada de control", "Llamada con {n}", "Llamada de presentación con {n}", "Llamada rápida sobre plazos", "Llamada de seguimiento", "Seguimiento", "Llamada telefónica inicial"],
            ["Call/1"] = ["Llamar a {n}", "Llamar: próximos pasos"],
            ["Email/0"] = ["Correo: seguimiento", "Correo: próximos pasos", "Correo: presentación enviada", "Correo: introducción", "Correo: cuestionario de seguridad", "Correo: cambios al contrato", "Correo de seguimiento", "Correo: plazos", "Correo: novedades", "Correo: grabación de la sesión", "Email: introducción"],
            ["Meeting/0"] = ["Reunión", "Reunión inicial", "Reunión semanal", "Visita a las oficinas", "Almuerzo con {n}", "Reunión de descubrimiento", "Taller de requisitos", "Reunión con las partes interesadas", "Reunión con {n}"],
            ["Meeting/1"] = ["Notas de la reunión", "Reunión con {n}"],
            ["Demo/0"] = ["Demostración del producto", "Demo", "Demostración técnica para operaciones", "Demo - módulo de informes", "Demostración guiada del producto"],
            ["Demo/1"] = ["Demo del producto con TI", "Demostración en vivo", "Demo: integraciones", "Demostración de seguimiento con {n}"],
            ["Proposal/0"] = ["Cotización v{v} enviada", "Propuesta enviada", "Enviar propuesta", "Propuesta de precios v{v}", "Cotización revisada"],
            ["Proposal/1"] = ["Re: precios", "Correo: propuesta adjunta", "Re: cotización v{v}"],
            ["Proposal/2"] = ["Cotización enviada a compras"],
            ["ExecutiveMeeting/0"] = ["Reunión con el patrocinador ejecutivo y el CFO", "Sesión informativa ejecutiva", "Alineación con la dirección ejecutiva", "Reunión con el CIO", "Revisión de aprobación con el CFO", "Reunión con el director general", "Revisión ejecutiva del negocio"],
            ["ExecutiveMeeting/1"] = ["Sesión con el comité de dirección"],
            ["Chores"] = ["Actualizar oportunidad", "Revisión interna del pronóstico", "Enviar contrato a legal", "Preparar notas", "Añadir contactos al CRM", "Investigar la cuenta", "Actualizar plan de cierre"],
            ["Reminders/0"] = ["Llamada de seguimiento", "Llamar a {n}"],
            ["Reminders/1"] = ["Enviar correo de seguimiento", "Correo: seguimiento"],
            ["Reminders/2"] = ["Llamar a {n}"],
            ["AfterWin/0"] = ["Reunión de arranque", "Reunión de bienvenida"],
            ["AfterWin/1"] = ["Correo de bienvenida", "Correo: próximos pasos de la puesta en marcha"],
            ["AfterLoss/0"] = ["Correo tras la pérdida", "Re: decisión"],
            ["AfterLoss/1"] = ["Llamada de revisión de la pérdida"],
            ["BusinessReview"] = ["Reunión trimestral de negocio", "Visita de control a la cuenta"],
            ["Newsletter"] = ["Boletín: novedades del producto", "Invitación al webinar", "Boletín para clientes"],
        },
        ["pt"] = new(StringComparer.Ordinal)
        {
            ["Call/0"] = ["Ligação", "Ligação de descoberta", "Ligação de acompanhamento", "Ligação: caixa postal", "Ligação com {n}", "Telefonema rápido sobre prazos", "Acompanhamento"],
            ["Call/1"] = ["Ligar para {n}", "Ligar: próximos passos"],
            ["Email/0"] = ["E-mail: acompanhamento", "E-mail: apresentação enviada", "E-mail: introdução", "E-mail: questionário de segurança", "E-mail: prazos", "Re: próximos passos"],
            ["Meeting/0"] = ["Reunião", "Reunião inicial", "Reunião semanal", "Visita ao escritório", "Almoço com {n}", "Reunião com {n}"],
            ["Meeting/1"] = ["Notas da reunião", "Reunião com {n}"],
            ["Demo/0"] = ["Demonstração do produto", "Demo", "Demonstração técnica"],
            ["Demo/1"] = ["Demo do produto com TI", "Demonstração ao vivo", "Demonstração com {n}"],
            ["Proposal/0"] = ["Cotação v{v} enviada", "Proposta enviada", "Enviar proposta", "Orçamento revisado"],
            ["Proposal/1"] = ["Re: preços", "E-mail: proposta anexa", "Re: cotação v{v}"],
            ["Proposal/2"] = ["Cotação enviada para compras"],
            ["ExecutiveMeeting/0"] = ["Reunião com o patrocinador executivo e o CFO", "Reunião executiva", "Reunião com a diretoria", "Reunião com o CIO"],
            ["ExecutiveMeeting/1"] = ["Sessão com a diretoria"],
            ["Chores"] = ["Atualizar oportunidade", "Revisão interna da previsão", "Enviar contrato ao jurídico", "Preparar notas", "Pesquisar a conta"],
            ["Reminders/0"] = ["Ligação de acompanhamento", "Ligar para {n}"],
            ["Reminders/1"] = ["Enviar e-mail de acompanhamento"],
            ["Reminders/2"] = ["Ligar para {n}"],
            ["AfterWin/0"] = ["Reunião de kickoff"],
            ["AfterWin/1"] = ["E-mail de boas-vindas"],
            ["AfterLoss/0"] = ["E-mail após a perda", "Re: decisão"],
            ["AfterLoss/1"] = ["Ligação de análise da perda"],
            ["BusinessReview"] = ["Reunião trimestral de negócios", "Visita à conta"],
            ["Newsletter"] = ["Boletim: novidades do produto", "Convite para webinar"],
        },
        ["fr"] = new(StringComparer.Ordinal)
        {
            ["Call/0"] = ["Appel", "Appel de découverte", "Appel de suivi", "Appel : message vocal", "Appel avec {n}", "Appel rapide sur le calendrier", "Suivi"],
            ["Call/1"] = ["Rappeler {n}", "Appel : prochaines étapes"],
            ["Email/0"] = ["Courriel : suivi", "Courriel : présentation envoyée", "Courriel : introduction", "E-mail : questionnaire sécurité", "Courriel : calendrier", "Re : prochaines étapes"],
            ["Meeting/0"] = ["Réunion", "Réunion de lancement", "Point hebdomadaire en réunion", "Visite sur site", "Déjeuner avec {n}", "Rendez-vous avec {n}"],
            ["Meeting/1"] = ["Compte rendu de réunion", "Rendez-vous avec {n}"],
            ["Demo/0"] = ["Démonstration produit", "Démo", "Démonstration technique"],
            ["Demo/1"] = ["Démo produit avec la DSI", "Démonstration en direct", "Démonstration avec {n}"],
            ["Proposal/0"] = ["Devis v{v} envoyé", "Proposition envoyée", "Envoyer la proposition", "Devis révisé"],
            ["Proposal/1"] = ["Re : tarifs", "Courriel : proposition jointe", "Re : devis v{v}"],
            ["Proposal/2"] = ["Devis transmis aux achats"],
            ["ExecutiveMeeting/0"] = ["Réunion avec le sponsor et le CFO", "Rendez-vous avec le directeur général", "Point avec le comité de direction", "Réunion avec le CIO"],
            ["ExecutiveMeeting/1"] = ["Présentation au CODIR"],
            ["Chores"] = ["Mettre à jour l'opportunité", "Revue interne des prévisions", "Envoyer le contrat au juridique", "Préparer les notes", "Étudier le compte"],
            ["Reminders/0"] = ["Appel de suivi", "Rappeler {n}"],
            ["Reminders/1"] = ["Envoyer un courriel de suivi"],
            ["Reminders/2"] = ["Rappeler {n}"],
            ["AfterWin/0"] = ["Réunion de lancement du projet"],
            ["AfterWin/1"] = ["Courriel de bienvenue"],
            ["AfterLoss/0"] = ["Courriel après la perte", "Re : décision"],
            ["AfterLoss/1"] = ["Appel de bilan"],
            ["BusinessReview"] = ["Réunion trimestrielle", "Visite du compte"],
            ["Newsletter"] = ["Lettre d'information produit", "Invitation au webinaire"],
        },
        ["de"] = new(StringComparer.Ordinal)
        {
            ["Call/0"] = ["Anruf", "Erstgespräch am Telefon", "Telefonat zum Nachfassen", "Anruf: Mailbox", "Telefonat mit {n}", "Kurzer Anruf wegen Zeitplan", "Nachfassen"],
            ["Call/1"] = ["Rückruf {n}", "Anruf: nächste Schritte"],
            ["Email/0"] = ["E-Mail: Nachfassen", "E-Mail: Präsentation gesendet", "E-Mail: Vorstellung", "E-Mail: Sicherheitsfragebogen", "E-Mail: Zeitplan", "AW: nächste Schritte"],
            ["Meeting/0"] = ["Besprechung", "Kennenlern-Termin", "Wöchentliche Besprechung", "Kundenbesuch vor Ort", "Mittagessen mit {n}", "Termin mit {n}"],
            ["Meeting/1"] = ["Besprechungsnotizen", "Treffen mit {n}"],
            ["Demo/0"] = ["Produktvorführung", "Demo", "Technische Vorführung"],
            ["Demo/1"] = ["Produktdemo mit der IT", "Live-Demo", "Vorführung mit {n}"],
            ["Proposal/0"] = ["Angebot v{v} gesendet", "Angebot senden", "Angebot überarbeitet", "Preisangebot v{v}"],
            ["Proposal/1"] = ["AW: Preise", "E-Mail: Angebot anbei", "AW: Angebot v{v}"],
            ["Proposal/2"] = ["Angebot an den Einkauf"],
            ["ExecutiveMeeting/0"] = ["Termin mit Sponsor und CFO", "Abstimmung mit der Geschäftsführung", "Termin mit dem Vorstand", "Besprechung mit dem CIO"],
            ["ExecutiveMeeting/1"] = ["Briefing für die Geschäftsführung"],
            ["Chores"] = ["Opportunity aktualisieren", "Interne Forecast-Runde", "Vertrag an die Rechtsabteilung", "Notizen vorbereiten", "Account recherchieren"],
            ["Reminders/0"] = ["Telefonat zum Nachfassen", "Rückruf {n}"],
            ["Reminders/1"] = ["Nachfass-E-Mail senden"],
            ["Reminders/2"] = ["Rückruf {n}"],
            ["AfterWin/0"] = ["Kickoff-Termin"],
            ["AfterWin/1"] = ["Willkommens-E-Mail"],
            ["AfterLoss/0"] = ["E-Mail nach Absage", "AW: Entscheidung"],
            ["AfterLoss/1"] = ["Anruf: Verlustanalyse"],
            ["BusinessReview"] = ["Quartalsbesprechung", "Kundenbesuch"],
            ["Newsletter"] = ["Newsletter: Produktneuheiten", "Einladung zum Webinar"],
        },
        ["it"] = new(StringComparer.Ordinal)
        {
            ["Call/0"] = ["Chiamata", "Chiamata conoscitiva", "Chiamata di follow-up", "Chiamata: segreteria", "Chiamata con {n}", "Telefonata veloce sui tempi", "Follow-up"],
            ["Call/1"] = ["Richiamare {n}", "Chiamata: prossimi passi"],
            ["Email/0"] = ["E-mail: follow-up", "E-mail: presentazione inviata", "E-mail: introduzione", "E-mail: questionario sicurezza", "E-mail: tempistiche", "Re: prossimi passi"],
            ["Meeting/0"] = ["Riunione", "Riunione iniziale", "Riunione settimanale", "Visita in sede", "Pranzo con {n}", "Incontro con {n}"],
            ["Meeting/1"] = ["Note della riunione", "Incontro con {n}"],
            ["Demo/0"] = ["Dimostrazione del prodotto", "Demo", "Dimostrazione tecnica"],
            ["Demo/1"] = ["Demo del prodotto con l'IT", "Dimostrazione dal vivo", "Dimostrazione con {n}"],
            ["Proposal/0"] = ["Preventivo v{v} inviato", "Proposta inviata", "Inviare proposta", "Preventivo rivisto"],
            ["Proposal/1"] = ["Re: prezzi", "E-mail: offerta in allegato", "Re: preventivo v{v}"],
            ["Proposal/2"] = ["Preventivo inviato agli acquisti"],
            ["ExecutiveMeeting/0"] = ["Riunione con lo sponsor e il CFO", "Incontro con il direttore generale", "Allineamento con la direzione", "Riunione con il CIO"],
            ["ExecutiveMeeting/1"] = ["Briefing con l'amministratore delegato"],
            ["Chores"] = ["Aggiornare l'opportunità", "Revisione interna del forecast", "Inviare il contratto all'ufficio legale", "Preparare appunti", "Studiare l'account"],
            ["Reminders/0"] = ["Chiamata di follow-up", "Richiamare {n}"],
            ["Reminders/1"] = ["Inviare e-mail di follow-up"],
            ["Reminders/2"] = ["Richiamare {n}"],
            ["AfterWin/0"] = ["Riunione di kickoff"],
            ["AfterWin/1"] = ["E-mail di benvenuto"],
            ["AfterLoss/0"] = ["E-mail dopo la perdita", "Re: decisione"],
            ["AfterLoss/1"] = ["Chiamata di analisi"],
            ["BusinessReview"] = ["Riunione trimestrale", "Visita al cliente"],
            ["Newsletter"] = ["Newsletter: novità di prodotto", "Invito al webinar"],
        },
    };

    private static readonly Dictionary<string, FrozenDictionary<string, (string Subject, CausalKind? Kind)>> Tables = new(StringComparer.Ordinal);
    private static readonly Lock TablesLock = new();

    /// <summary>Rewrites the activities of an org for the options' language and logging habits.</summary>
    public static (IReadOnlyList<SfTask> Tasks, IReadOnlyList<SfEvent> Events) Apply(IReadOnlyList<SfTask> tasks, IReadOnlyList<SfEvent> events, SyntheticOrgOptions options)
    {
        var english = string.Equals(options.Language, "en", StringComparison.OrdinalIgnoreCase);
        if (english && !options.BlankActivityTypes && options.ActivityTypeField is null)
        {
            return (tasks, events);
        }

        var table = Table(options.Language.ToLowerInvariant());
        var blank = options.BlankActivityTypes;
        var field = options.ActivityTypeField;
        IReadOnlyDictionary<string, string?> Custom(CausalKind? kind) => field is null
            ? EmptyFields.Instance
            : new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { [field] = kind is { } k ? PicklistValues[(int)k] : OtherValue };

        var newTasks = tasks.Select(t =>
        {
            var (subject, kind) = table.TryGetValue(Key(false, t.Type, t.TaskSubtype, t.Subject), out var found) ? found : (t.Subject!, null);
            return t with
            {
                Subject = english ? t.Subject : subject,
                Type = blank ? null : t.Type,
                TaskSubtype = blank ? null : t.TaskSubtype,
                Custom = Custom(kind),
            };
        }).ToList();
        var newEvents = events.Select(e =>
        {
            var (subject, kind) = table.TryGetValue(Key(true, e.Type, e.EventSubtype, e.Subject), out var found) ? found : (e.Subject!, null);
            return e with
            {
                Subject = english ? e.Subject : subject,
                Type = blank ? null : e.Type,
                Custom = Custom(kind),
            };
        }).ToList();
        return (newTasks, newEvents);
    }

    private static string Key(bool isEvent, string? type, string? subtype, string? subject) => $"{(isEvent ? 'E' : 'T')}|{type}|{subtype}|{subject}";

    // English subject (with its form's Type and subtype) → the language's subject and the kind logged.
    private static FrozenDictionary<string, (string Subject, CausalKind? Kind)> Table(string language)
    {
        lock (TablesLock)
        {
            if (Tables.TryGetValue(language, out var cached))
            {
                return cached;
            }

            var words = language == "en" ? null : Subjects[language];
            var table = new Dictionary<string, (string, CausalKind?)>(StringComparer.Ordinal);
            foreach (var (name, form, kind) in Vocabulary.AllForms)
            {
                var translated = words?[name];
                for (var i = 0; i < form.Templates.Count; i++)
                {
                    var english = form.Subjects[i];
                    var template = translated is null ? form.Templates[i] : translated[i % translated.Length];
                    var local = Vocabulary.Expand([template])[0];
                    for (var v = 0; v < english.Length; v++)
                    {
                        // A template keeps the variant's name or version when it has the same placeholder.
                        table.TryAdd(Key(form.IsEvent, form.Type, form.Subtype, english[v]), (local.Length == english.Length ? local[v] : local[0], kind));
                    }
                }
            }

            return Tables[language] = table.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }
}
