using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Worker.Health;

/// <summary>The HTTP health endpoint.</summary>
internal sealed class HealthOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Health";

    /// <summary>Whether the endpoint is served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where to listen, semicolon-separated (Kestrel URL syntax); port 0 picks a free port. Loopback only by
    /// default: a container that must be probed from outside sets <c>http://0.0.0.0:8080</c> explicitly.
    /// </summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The path answering GET with the last run and the model.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9/_.-]*$")]
    public string Path { get; set; } = "/health";
}

/// <summary>Validates <see cref="HealthOptions"/> at start.</summary>
[OptionsValidator]
internal sealed partial class ValidateHealthOptions : IValidateOptions<HealthOptions>;
