using MLRFNet.Edge;
using MLRFNet.Edge.Scoring;
using Microsoft.Extensions.DependencyInjection;

// The clinic-box service: watch the intake, score X-rays, write reports (see EdgeHost for the wiring).
var builder = EdgeHost.CreateBuilder(args);
builder.AddEdgeService();
builder.Services.AddSingleton<IXrayScorerFactory, OnnxScorerFactory>();
using var host = builder.Build();
return await EdgeHost.RunAsync(host);
