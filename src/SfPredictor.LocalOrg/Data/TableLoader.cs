using SfPredictor.DataExport;

namespace SfPredictor.LocalOrg.Data;

/// <summary>Reads one export CSV into an <see cref="OrgTable"/> (see <see cref="ColumnCells"/> for how values are kept).</summary>
internal static class TableLoader
{
    public static OrgTable Load(string path, string objectName, CancellationToken cancellationToken)
    {
        using var reader = ExportCsvReader.Open(path);
        var store = new TextStore();
        var cells = reader.Header.Select(_ => new ColumnCells(store)).ToArray();
        var rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i].Append(reader.GetSpan(i));
            }

            if (++rows % 65_536 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        foreach (var column in cells)
        {
            column.Complete();
        }

        var columns = reader.Header.Select((name, i) => new OrgColumn(name, cells[i])).ToList();
        return new OrgTable(objectName, path, columns, rows, store);
    }
}
