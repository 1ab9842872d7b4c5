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

/// <summary>
/// A bound field reference: the hops to the record holding the field, the field and its type; or a
/// date function of a date field (<c>FISCAL_YEAR(CloseDate)</c>), a number.
/// </summary>
internal sealed class FieldPath
{
    private readonly OrgStore _store;
    private readonly OrgTable _root;
    private readonly FieldType _fieldType;
    private readonly FiscalYear _fiscalYear;

    public FieldPath(OrgStore store, OrgTable root, IReadOnlyList<Hop> hops, string field, FieldType type)
    {
        _store = store;
        _root = root;
        Hops = hops;
        Field = field;
        Type = _fieldType = type;
        Name = string.Join('.', hops.Select(h => h.RelationshipName).Append(field));
    }

    /// <summary>A date function of a date or datetime field.</summary>
    public FieldPath(FieldPath dateField, string function, FiscalYear fiscalYear)
        : this(dateField._store, dateField._root, dateField.Hops, dateField.Field, dateField.Type)
    {
        Function = function;
        _fiscalYear = fiscalYear;
        Type = FieldType.Int;
        Name = $"{function}({dateField.Name})";
    }

    /// <summary>The date function applied to the field, or null.</summary>
    public string? Function { get; }

    public IReadOnlyList<Hop> Hops { get; }

    /// <summary>The field API name as the holding table writes it.</summary>
    public string Field { get; }

    /// <summary>The type of the value: the field's, or a number for a date function.</summary>
    public FieldType Type { get; }

    /// <summary>The canonical path, e.g. <c>Account.Industry</c> or <c>CALENDAR_YEAR(CloseDate)</c>.</summary>
    public string Name { get; }

    /// <summary>The text of the value for a row of the root table; empty when null or unreachable.</summary>
    public ReadOnlySpan<char> GetSpan(int row) =>
        Function is null ? GetFieldSpan(row) : (GetComparable(row)?.ToString()).AsSpan();

    public object? GetComparable(int row)
    {
        if (Function is null)
        {
            return FieldTypes.ToComparable(Type, GetFieldSpan(row));
        }

        DateOnly? day = FieldTypes.ToComparable(_fieldType, GetFieldSpan(row)) switch
        {
            int dayNumber => DateOnly.FromDayNumber(dayNumber),
            long ticks => DateOnly.FromDateTime(new DateTime(ticks, DateTimeKind.Utc)),
            _ => null,
        };
        return day is { } value ? (decimal)DateFunctions.Apply(Function, value, _fiscalYear) : null;
    }

    private ReadOnlySpan<char> GetFieldSpan(int row)
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
}
