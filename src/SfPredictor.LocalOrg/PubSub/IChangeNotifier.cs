using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.PubSub;

/// <summary>Change Data Capture's kinds of change (the header's <c>changeType</c>).</summary>
internal enum ChangeType
{
    Create,
    Update,
    Delete,
}

/// <summary>One record's change within a saved transaction.</summary>
/// <param name="Type">Created, updated or deleted.</param>
/// <param name="Table">The record's object.</param>
/// <param name="Row">The record's row, read for the event's field values (ignored for a delete).</param>
/// <param name="Id">The record's 18-character Id.</param>
/// <param name="ChangedFields">The fields an update set (empty for a create or delete).</param>
internal sealed record ChangeNotice(ChangeType Type, OrgTable Table, int Row, string Id, IReadOnlyList<string> ChangedFields);

/// <summary>
/// Told of every record the org creates, updates or deletes, whichever API did it. Each write path calls
/// <see cref="Publish"/> once per saved transaction (one API call's records), under the store's write lock,
/// after the rows hold their new values.
/// </summary>
internal interface IChangeNotifier
{
    void Publish(IReadOnlyList<ChangeNotice> changes);
}
