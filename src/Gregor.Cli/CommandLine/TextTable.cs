using System.Text;

namespace Gregor.Cli.CommandLine;

/// <summary>Left-aligned columns separated by two spaces, sized to their widest cell; no trailing spaces.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int RowCount => _rows.Count;

    public void Add(params object?[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"A row needs {headers.Length} cells, got {cells.Length}.", nameof(cells));
        _rows.Add([.. cells.Select(c => c?.ToString() ?? "-")]);
    }

    public override string ToString()
    {
        var widths = new int[headers.Length];
        foreach (var row in _rows.Prepend(headers))
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);

        var text = new StringBuilder();
        foreach (var row in _rows.Prepend(headers))
        {
            var line = new StringBuilder();
            for (int i = 0; i < row.Length; i++)
            {
                if (i > 0) line.Append("  ");
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]));
            }
            text.AppendLine(line.ToString().TrimEnd());
        }
        return text.ToString();
    }
}
