using System.Runtime.InteropServices;
using Google.Protobuf;
using MLRFNet.Training.Pretrained;
using Onnx;

namespace MLRFNet.Training.Tests.Pretrained;

/// <summary>
/// The ImageNet import reads ONNX initializers through the toolchain's one tensor reader (MLRFNet.Onnx's
/// TensorData): float_data and raw_data give the same values, and data in an external file is refused as an import
/// error. Catches: the importer keeping its own reader, which read an external-data mean image as no values at all
/// (NaN channel means) instead of failing.
/// </summary>
public sealed class OnnxTensorEncodingTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlrfnet-onnx-encoding-");

    // A [1, 3, 2, 2] mean image: channel c holds 10c, 10c + 1, 10c + 2, 10c + 3, so its mean is 10c + 1.5.
    private static readonly float[] MeanImage = [.. Enumerable.Range(0, 3).SelectMany(c => Enumerable.Range(0, 4).Select(k => 10f * c + k))];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mean_image_reads_the_same_from_float_data_and_raw_data(bool raw)
    {
        var tensor = Tensor();
        if (raw) tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(MeanImage.AsSpan()));
        else tensor.FloatData.AddRange(MeanImage);
        Assert.Equal([1.5, 11.5, 21.5], OnnxResNetImporter.MeanImageChannelMeans(Save(tensor)));
    }

    [Fact]
    public void Mean_image_kept_in_an_external_file_is_refused()
    {
        var tensor = Tensor();
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "mean.bin" });
        var e = Assert.Throws<PretrainedImportException>(() => OnnxResNetImporter.MeanImageChannelMeans(Save(tensor)));
        Assert.Contains("keeps its data in an external file", e.Message);
    }

    [Fact]
    public void Mean_image_with_fewer_values_than_its_dims_is_refused()
    {
        var tensor = Tensor();
        tensor.FloatData.AddRange(MeanImage[..11]);
        var e = Assert.Throws<PretrainedImportException>(() => OnnxResNetImporter.MeanImageChannelMeans(Save(tensor)));
        Assert.Contains("holds 11 values but its dims [1,3,2,2] need 12", e.Message);
    }

    private static TensorProto Tensor()
    {
        var tensor = new TensorProto { Name = "mean_image", DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange([1, 3, 2, 2]);
        return tensor;
    }

    private string Save(TensorProto tensor)
    {
        var model = new ModelProto { IrVersion = 8, Graph = new GraphProto { Name = "preprocess" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        model.Graph.Initializer.Add(tensor);
        var path = Path.Combine(dir.FullName, "preprocess.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    public void Dispose() => dir.Delete(recursive: true);
}
