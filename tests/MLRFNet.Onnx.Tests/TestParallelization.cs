// Test classes run one after another: on the 2-core CI machine ONNX Runtime already uses every core within one test,
// and the quantizer's calibration runs would only compete for them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
