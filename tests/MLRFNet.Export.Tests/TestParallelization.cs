// Test classes run one after another: TorchSharp's random generator is process-global, so classes building
// seeded models in parallel would interleave draws and make the reported parity figures vary from run to run; on
// the 2-core CI machine TorchSharp and ONNX Runtime already use every core within one test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
