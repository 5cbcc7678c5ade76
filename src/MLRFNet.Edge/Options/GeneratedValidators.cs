using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Options;

// Source-generated validators for the [Range]/[Required] attributes: no reflection, so Native AOT keeps them
// (ValidateDataAnnotations() would use reflection). Cross-field rules are in EdgeCrossFieldValidator.

[OptionsValidator]
internal sealed partial class EdgeOptionsValidator : IValidateOptions<EdgeOptions>;

[OptionsValidator]
internal sealed partial class InferenceOptionsValidator : IValidateOptions<InferenceOptions>;

[OptionsValidator]
internal sealed partial class GpioOptionsValidator : IValidateOptions<GpioOptions>;
