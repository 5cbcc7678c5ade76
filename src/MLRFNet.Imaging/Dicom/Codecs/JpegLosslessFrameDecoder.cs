namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// JPEG Lossless, process 14 (1.2.840.10008.1.2.4.57 with any predictor, .70 with predictor 1), one component:
/// ITU-T T.81 (ISO 10918-1) annex H with the Huffman decoding of annex F.2.2, written by hand. JpegLibrary 0.4.32
/// (the managed SOF3 decoder on our NuGet feed) was tried first and fails the dcmtk references for predictors 2, 3,
/// 6 and 7: it applies the selected predictor on the first line instead of Ra (T.81 H.1.2.1), and it keeps samples in
/// 16-bit signed arithmetic, which breaks predictors 4-7 on 16-bit data. The decoder reads from a bounds-checked
/// cursor and decodes exactly Rows × Columns differences, so hostile input ends in an exception or zeros, never a hang.
/// </summary>
internal static class JpegLosslessFrameDecoder
{
    public static void Decode(byte[] frame, DicomImageGeometry geometry, Span<byte> destination)
    {
        var cursor = new JpegMarkerCursor(frame);
        var tables = new HuffmanTable?[4];
        int precision = 0, width = 0, height = 0, restartInterval = 0;
        if (cursor.Byte() != 0xFF || cursor.Byte() != 0xD8) throw JpegMarkerCursor.Corrupt("it does not start with SOI (FF D8)");
        while (true)
        {
            var marker = cursor.Marker();
            if (marker is 0xD8 or 0xD9 || marker is >= 0xD0 and <= 0xD7) throw JpegMarkerCursor.Corrupt($"marker FF {marker:X2} comes before the scan");
            var segment = cursor.Segment();
            switch (marker)
            {
                case 0xC3:
                    if (segment.Length < 9) throw JpegMarkerCursor.Corrupt("its SOF3 header is too short");
                    precision = segment[0];
                    height = segment[1] << 8 | segment[2];
                    width = segment[3] << 8 | segment[4];
                    FrameDecoders.CheckFrame("JPEG Lossless", width, height, segment[5], precision, geometry);
                    if (precision < 2 || precision > 16) throw JpegMarkerCursor.Corrupt($"its sample precision is {precision}; T.81 allows 2..16");
                    if (segment[7] != 0x11) throw JpegMarkerCursor.Corrupt("its one component is subsampled");
                    break;
                case 0xC4:
                    HuffmanTable.ReadAll(segment, tables);
                    break;
                case 0xDD:
                    if (segment.Length < 2) throw JpegMarkerCursor.Corrupt("its DRI segment is too short");
                    restartInterval = segment[0] << 8 | segment[1];
                    break;
                case 0xDA:
                    if (precision == 0) throw JpegMarkerCursor.Corrupt("its scan comes before a SOF3 frame header");
                    if (segment.Length < 6 || segment[0] != 1) throw JpegMarkerCursor.Corrupt("its scan header is not a one-component scan");
                    var table = tables[segment[2] >> 4 & 3] ?? throw JpegMarkerCursor.Corrupt("its scan uses a Huffman table that was never defined");
                    int predictor = segment[3], pointTransform = segment[5] & 0x0F;
                    if (predictor is < 1 or > 7 || pointTransform >= precision)
                        throw JpegMarkerCursor.Corrupt($"its scan has predictor {predictor} and point transform {pointTransform}");
                    var samples = new int[width * height];
                    DecodeScan(ref cursor, table, samples, width, precision - pointTransform, predictor, restartInterval);
                    for (var i = 0; i < samples.Length; i++) FrameDecoders.Store(destination, i, samples[i] << pointTransform, geometry.BitsAllocated);
                    return;
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw JpegMarkerCursor.Corrupt($"it is a SOF{marker - 0xC0} JPEG, not lossless SOF3 (process 14): the transfer syntax " +
                        "in the file meta information does not match the pixel data");
            }
        }
    }

    /// <summary>T.81 H.1.2: prediction from Ra (left), Rb (above), Rc (above left); reconstruction modulo 2^16.</summary>
    private static void DecodeScan(ref JpegMarkerCursor cursor, HuffmanTable table, int[] samples, int width, int precision,
        int predictor, int restartInterval)
    {
        var bits = new JpegBitReader(cursor);
        var initial = 1 << (precision - 1);
        var mask = (1 << precision) - 1;
        var untilRestart = restartInterval;
        var firstLine = true;
        var restarted = true;
        for (var i = 0; i < samples.Length; i++)
        {
            if (restartInterval > 0 && untilRestart == 0)
            {
                bits.Restart();
                untilRestart = restartInterval;
                firstLine = restarted = true;
            }
            var x = i % width;
            if (x == 0 && i > 0 && !restarted) firstLine = false;
            int prediction;
            if (restarted) prediction = initial;                 // first sample of the scan or of a restart interval
            else if (firstLine) prediction = samples[i - 1];     // first line: Ra
            else if (x == 0) prediction = samples[i - width];    // first column: Rb
            else
            {
                int a = samples[i - 1], b = samples[i - width], c = samples[i - width - 1];
                prediction = predictor switch
                {
                    1 => a,
                    2 => b,
                    3 => c,
                    4 => a + b - c,
                    5 => a + ((b - c) >> 1),
                    6 => b + ((a - c) >> 1),
                    _ => (a + b) >> 1,
                };
            }
            restarted = false;
            samples[i] = (prediction + bits.Difference(table)) & 0xFFFF & mask;
            untilRestart--;
        }
    }
}
