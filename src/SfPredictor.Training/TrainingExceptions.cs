namespace SfPredictor.Training;

/// <summary>Too few closed deals to train even the stage win-rate model.</summary>
public sealed class InsufficientTrainingDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InsufficientTrainingDataException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public InsufficientTrainingDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InsufficientTrainingDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from the counts found and needed.</summary>
    /// <param name="won">Closed-won Opportunities found.</param>
    /// <param name="lost">Closed-lost Opportunities found.</param>
    /// <param name="minWon">Closed-won Opportunities needed.</param>
    /// <param name="minLost">Closed-lost Opportunities needed.</param>
    public InsufficientTrainingDataException(int won, int lost, int minWon, int minLost)
        : base($"Cannot train a model: the org has {won} closed-won and {lost} closed-lost Opportunities with usable history, " +
               $"but at least {minWon} won and {minLost} lost are needed (settings {TrainingOptions.SectionName}:MinWonForFallback " +
               "and MinLostForFallback). Score again when more deals have closed.")
    {
        Won = won;
        Lost = lost;
    }

    /// <summary>Closed-won Opportunities found.</summary>
    public int Won { get; }

    /// <summary>Closed-lost Opportunities found.</summary>
    public int Lost { get; }
}

/// <summary>The exported ONNX model does not reproduce the trained model's probabilities; nothing was written.</summary>
public sealed class ModelParityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelParityException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which row differed, and by how much.</param>
    public ModelParityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which row differed, and by how much.</param>
    /// <param name="innerException">The cause.</param>
    public ModelParityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
