// libtorch state is process-wide (thread count, the default random generator) and changing the OpenMP thread count
// while another test's parallel region runs can stall both; a full-suite run hung here with classes in parallel.
// Tests in this assembly therefore run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
