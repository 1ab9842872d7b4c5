namespace SfPredictor.ModelStore;

/// <summary>A model store operation failed; the message says which store, blob or file, and why.</summary>
public class ModelStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Publishing a version that already exists: versions are immutable, choose a new version string.</summary>
internal sealed class ModelVersionExistsException : ModelStoreException
{
    /// <summary>Creates the exception.</summary>
    public ModelVersionExistsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelVersionExistsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelVersionExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The requested version was never published.</summary>
internal sealed class ModelVersionNotFoundException : ModelStoreException
{
    /// <summary>Creates the exception.</summary>
    public ModelVersionNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelVersionNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelVersionNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The current-version pointer changed between the caller's read and its promotion: another worker promoted
/// first. Read the pointer again and decide again.
/// </summary>
public sealed class ModelPromotionConflictException : ModelStoreException
{
    /// <summary>Creates the exception.</summary>
    public ModelPromotionConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelPromotionConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelPromotionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
