using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// One step from a record to its parent: the lookup column (<c>AccountId</c>) and, unless the lookup
/// is polymorphic (<c>WhatId</c>), the parent table. A polymorphic parent is found by its Id's prefix.
/// </summary>
internal sealed record Hop(string RelationshipName, string ColumnName, OrgTable? Target)
{
    /// <summary>The parent record of a row, or null when the lookup is empty or points nowhere loaded.</summary>
    public (OrgTable Table, int Row)? Follow(OrgStore store, OrgTable table, int row)
    {
        var id = table.Find(ColumnName)?[row];
        var target = Target ?? store.FindTableOf(id);
        return target is not null && target.TryFindRow(id, out var parentRow) ? (target, parentRow) : null;
    }
}

/// <summary>A bound field reference: the hops to the record holding the field, the field and its type.</summary>
internal sealed class FieldPath
{
    private readonly OrgStore _store;
    private readonly OrgTable _root;

    public FieldPath(OrgStore store, OrgTable root, IReadOnlyList<Hop> hops, string field, FieldType type)
    {
        _store = store;
        _root = root;
        Hops = hops;
        Field = field;
        Type = type;
        Name = string.Join('.', hops.Select(h => h.RelationshipName).Append(field));
    }

    public IReadOnlyList<Hop> Hops { get; }

    /// <summary>The field API name as the holding table writes it.</summary>
    public string Field { get; }

    public FieldType Type { get; }

    /// <summary>The canonical path, e.g. <c>Account.Industry</c>.</summary>
    public string Name { get; }

    /// <summary>The text of the field for a row of the root table; empty when null or unreachable.</summary>
    public ReadOnlySpan<char> GetSpan(int row)
    {
        var table = _root;
        foreach (var hop in Hops)
        {
            if (hop.Follow(_store, table, row) is not { } parent)
            {
                return [];
            }

            (table, row) = parent;
        }

        return table.Find(Field) is { } column ? column.GetSpan(row) : [];
    }

    public object? GetComparable(int row) => FieldTypes.ToComparable(Type, GetSpan(row));
}
