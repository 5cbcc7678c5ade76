using System.CommandLine;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>--sign-key FILE</c> of the verbs that write a manifest (<c>qa</c>, <c>export</c>, <c>evaluate
/// --write-thresholds</c>): the private key PEM made by <c>mlrfnet keys new</c>. Without it the manifest is written
/// unsigned, and a clinic box refuses it.
/// </summary>
internal static class SignKeyOption
{
    public static Option<FileInfo?> Create() => new("--sign-key")
    {
        Description = "Private key PEM (`mlrfnet keys new`) that signs the manifest; without it the manifest is unsigned and clinic boxes refuse the model.",
    };

    public static SigningKey? Load(ParseResult parse, Option<FileInfo?> option) =>
        parse.GetValue(option) is { } file ? SigningKey.Load(file.FullName) : null;

    /// <summary>The line printed after a manifest was written.</summary>
    public static string Describe(ModelManifest written) =>
        written.Signature is { } s ? $"signed with key {s.KeyId}" : "UNSIGNED (no --sign-key): clinic boxes will refuse this model";
}
