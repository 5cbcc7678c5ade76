using MLRFNet.Core.Csv;

namespace MLRFNet.Core.Tests.Csv;

public class CsvTableTests
{
    [Fact]
    public void Reads_quoted_fields_with_commas_doubled_quotes_and_newlines_and_CRLF()
    {
        var text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",\r\n";
        var table = CsvTable.Parse(new StringReader(text));
        Assert.Equal(["a", "b", "c"], table.Header);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["1", "x, y", "say \"hi\""], table.Rows[0]);
        Assert.Equal(["2", "two\nlines", ""], table.Rows[1]);
    }

    [Fact]
    public void Last_line_without_newline_and_blank_lines_are_handled()
    {
        var table = CsvTable.Parse(new StringReader("a,b\n\n1,2\n3,4"));
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["3", "4"], table.Rows[1]);
    }

    [Fact]
    public void Ragged_rows_missing_columns_and_open_quotes_are_named_errors()
    {
        var ragged = Assert.Throws<FormatException>(() => CsvTable.Parse(new StringReader("a,b\n1,2,3\n"), "x.csv"));
        Assert.Contains("record 2 has 3 fields", ragged.Message);
        var table = CsvTable.Parse(new StringReader("a,b\n1,2\n"), "x.csv");
        var missing = Assert.Throws<FormatException>(() => table.Column("Image Index"));
        Assert.Contains("no column 'Image Index'", missing.Message);
        Assert.Throws<FormatException>(() => CsvTable.Parse(new StringReader("a\n\"open\n")));
        Assert.Throws<FormatException>(() => CsvTable.Parse(new StringReader("a,a\n1,2\n")));
        Assert.Throws<FormatException>(() => CsvTable.Parse(new StringReader("")));
    }
}
