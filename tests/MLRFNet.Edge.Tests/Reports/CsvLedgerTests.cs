using MLRFNet.Edge.Reports;

namespace MLRFNet.Edge.Tests.Reports;

public sealed class CsvLedgerTests
{
    [Theory]
    [InlineData("plain.png", "plain.png")]
    [InlineData("a,b.png", "\"a,b.png\"")]
    [InlineData("say \"hi\".png", "\"say \"\"hi\"\".png\"")]
    [InlineData("two\nlines.png", "two lines.png")]
    public void EscapesAsRfc4180AndKeepsOneRowPerLine(string field, string escaped)
    {
        Assert.Equal(escaped, CsvLedger.Escape(field));
        Assert.Equal([field.Replace('\n', ' '), "x"], CsvLedger.Split(CsvLedger.Escape(field) + ",x"));
    }
}
