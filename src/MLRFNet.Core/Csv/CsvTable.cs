using System.Text;

namespace MLRFNet.Core.Csv;

/// <summary>
/// A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF, a header row). Written by hand because
/// the label files this project reads are simple and the reader must stay AOT-safe and dependency-free; it streams,
/// so a 224,316-row CheXpert CSV is read without holding the text twice.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> columnIndex;

    private CsvTable(string source, string[] header, List<string[]> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
        columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (!columnIndex.TryAdd(header[i], i))
                throw new FormatException($"{source}: column '{header[i]}' appears twice in the header.");
        }
    }

    /// <summary>Where the table came from (a path), for error messages.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public bool HasColumn(string name) => columnIndex.ContainsKey(name);

    /// <summary>The index of a column, or a <see cref="FormatException"/> naming the columns that exist.</summary>
    public int Column(string name) =>
        columnIndex.TryGetValue(name, out var i)
            ? i
            : throw new FormatException($"{Source}: no column '{name}'. Columns: {string.Join(", ", Header)}.");

    public static CsvTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path);
    }

    public static CsvTable Parse(TextReader reader, string source = "<csv>")
    {
        var records = ReadRecords(reader, source).GetEnumerator();
        if (!records.MoveNext()) throw new FormatException($"{source}: the file is empty; expected a header row.");
        var header = records.Current.Select(h => h.Trim()).ToArray();
        var rows = new List<string[]>();
        var line = 1;
        while (records.MoveNext())
        {
            line++;
            var record = records.Current;
            if (record.Length == 1 && record[0].Length == 0) continue; // blank line
            if (record.Length != header.Length)
                throw new FormatException($"{source}: record {line} has {record.Length} fields; the header has {header.Length}.");
            rows.Add(record);
        }
        return new CsvTable(source, header, rows);
    }

    private static IEnumerable<string[]> ReadRecords(TextReader reader, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else field.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    if (reader.Peek() == '\n') reader.Read();
                    goto case '\n';
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return fields.ToArray();
                    fields.Clear();
                    any = false;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (inQuotes) throw new FormatException($"{source}: a quoted field is not closed before the end of the file.");
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }
}
