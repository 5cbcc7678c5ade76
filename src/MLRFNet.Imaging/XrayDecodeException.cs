namespace MLRFNet.Imaging;

/// <summary>
/// The one exception <see cref="XrayDecoder"/> throws for bad or unsupported input. The message says what is wrong
/// and how to fix it; <see cref="Kind"/> lets callers branch without parsing the message.
/// </summary>
public sealed class XrayDecodeException : Exception
{
    public XrayDecodeException(DecodeErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    public DecodeErrorKind Kind { get; }
}
