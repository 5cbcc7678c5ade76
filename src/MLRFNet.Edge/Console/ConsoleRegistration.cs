using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>Adds the clinic console to the service (one line in EdgeHost).</summary>
internal static class ConsoleRegistration
{
    public static IServiceCollection AddClinicConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.Section));
        services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>();
        services.AddSingleton<ConsoleServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleServer>());
        return services;
    }
}
