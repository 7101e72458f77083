using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ZmqNative.Extensions.Hosting;

/// <summary>Registers ZmqNative and the Patterns servers in a host's services (docs/hosting.md).</summary>
public static class ZmqNativeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the host's one <see cref="ZmqContext"/> (a singleton, disposed with the host: shut down first, so blocked calls
    /// end), configured from the <c>"ZmqNative"</c> section (<see cref="ZmqNativeOptions"/>), plus <see cref="ZmqNativeMetrics"/>
    /// and the hosted service that bounds shutdown (<see cref="ZmqNativeOptions.ShutdownGrace"/>). Calling it twice is harmless.
    /// Call it before registering hosted services that use the context: hosted services stop in reverse order, so the
    /// context is shut down after them.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddZmqNative(this IServiceCollection services, Action<ZmqNativeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ZmqNativeOptions>().BindConfiguration(ZmqNativeOptions.SectionName)
            .Validate(o => Valid(o.Validate), "ZmqNative options out of range (IoThreads >= 0, DefaultLinger and ShutdownGrace >= 0, MaxSockets >= 1)");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(ZmqContext)))
        {
            return services;
        }

        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ZmqNativeOptions>>().Value;
            var context = new ZmqContext();
            try
            {
                context.IoThreads = settings.IoThreads;
                context.DefaultLinger = settings.DefaultLinger;
                if (settings.MaxSockets is { } max)
                {
                    context.MaxSockets = max;
                }
            }
            catch
            {
                context.Dispose();
                throw;
            }

            Log.ContextCreated(sp.GetRequiredService<ILogger<ZmqContext>>(), settings.IoThreads, settings.DefaultLinger);
            return context;
        });
        services.TryAddSingleton(sp => new ZmqNativeMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton<IHostedService, ZmqContextLifetime>();
        return services;
    }

    /// <summary>Adds a Majordomo broker as a hosted service, configured from <paramref name="section"/> (<see cref="MajordomoBrokerServiceOptions"/>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <param name="section">The configuration section: <c>"ZmqNative:MajordomoBroker"</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMajordomoBroker(this IServiceCollection services, Action<MajordomoBrokerServiceOptions>? configure = null, string section = MajordomoBrokerServiceOptions.SectionName)
    {
        services.AddZmqNative();
        Bind(services, Options.DefaultName, section, configure);
        if (!Registered<MajordomoBrokerService>(services))
        {
            services.AddSingleton<MajordomoBrokerService>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MajordomoBrokerService>());
        }
        return services;
    }

    /// <summary>
    /// Adds workers for the Majordomo service <paramref name="service"/> as a hosted service, answering with
    /// <typeparamref name="THandler"/> (registered scoped if it is not registered yet; one scope per request), configured from
    /// <c>"ZmqNative:MajordomoWorkers:&lt;service&gt;"</c> (<see cref="MajordomoWorkerServiceOptions"/>).
    /// </summary>
    /// <typeparam name="THandler">The request handler.</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="service">The Majordomo service name.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMajordomoWorker<THandler>(this IServiceCollection services, string service, Action<MajordomoWorkerServiceOptions>? configure = null)
        where THandler : class, IZmqRequestHandler
    {
        services.TryAddScoped<THandler>();
        return AddMajordomoWorker(services, service, sp => sp.GetRequiredService<THandler>(), configure);
    }

    /// <summary>Adds workers for the Majordomo service <paramref name="service"/> answering with a delegate (called with the request's scoped services).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="service">The Majordomo service name.</param>
    /// <param name="handler">Answers a request: (scoped services, request, cancellation) to reply frames.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMajordomoWorker(this IServiceCollection services, string service, Func<IServiceProvider, ZmqRequest, CancellationToken, ValueTask<IReadOnlyList<byte[]>>> handler, Action<MajordomoWorkerServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddMajordomoWorker(services, service, sp => new DelegateRequestHandler(sp, handler), configure);
    }

    /// <summary>Adds the pool that sends Majordomo requests from any thread (<see cref="MajordomoRequester"/>), configured from <c>"ZmqNative:MajordomoClient"</c>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMajordomoRequester(this IServiceCollection services, Action<MajordomoRequesterOptions>? configure = null)
    {
        services.AddZmqNative();
        Bind(services, Options.DefaultName, MajordomoRequesterOptions.SectionName, configure);
        services.TryAddSingleton<MajordomoRequester>();
        return services;
    }

    /// <summary>Adds a Titanic service (RFC 9) as a hosted service, configured from <paramref name="section"/> (<see cref="TitanicServiceOptions"/>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <param name="section">The configuration section: <c>"ZmqNative:Titanic"</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddTitanic(this IServiceCollection services, Action<TitanicServiceOptions>? configure = null, string section = TitanicServiceOptions.SectionName)
    {
        services.AddZmqNative();
        Bind(services, Options.DefaultName, section, configure);
        if (!Registered<TitanicHostedService>(services))
        {
            services.AddSingleton<TitanicHostedService>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<TitanicHostedService>());
        }
        return services;
    }

    /// <summary>Adds a Paranoid Pirate queue (RFC 6) as a hosted service, configured from <paramref name="section"/> (<see cref="ParanoidPirateQueueServiceOptions"/>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <param name="section">The configuration section: <c>"ZmqNative:ParanoidPirateQueue"</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddParanoidPirateQueue(this IServiceCollection services, Action<ParanoidPirateQueueServiceOptions>? configure = null, string section = ParanoidPirateQueueServiceOptions.SectionName)
    {
        services.AddZmqNative();
        Bind(services, Options.DefaultName, section, configure);
        if (!Registered<ParanoidPirateQueueService>(services))
        {
            services.AddSingleton<ParanoidPirateQueueService>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ParanoidPirateQueueService>());
        }
        return services;
    }

    /// <summary>Adds a Paranoid Pirate worker as a hosted service answering with <typeparamref name="THandler"/>, configured from <paramref name="section"/>.</summary>
    /// <typeparam name="THandler">The request handler (registered scoped if it is not registered yet).</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <param name="section">The configuration section: <c>"ZmqNative:ParanoidPirateWorker"</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddParanoidPirateWorker<THandler>(this IServiceCollection services, Action<ParanoidPirateWorkerServiceOptions>? configure = null, string section = ParanoidPirateWorkerServiceOptions.SectionName)
        where THandler : class, IZmqRequestHandler
    {
        services.AddZmqNative();
        services.TryAddScoped<THandler>();
        string name = Bind(services, "pirate-worker:" + section, section, configure);
        services.AddSingleton<IHostedService>(sp => new ParanoidPirateWorkerService(
            sp.GetRequiredService<ZmqContext>(),
            sp.GetRequiredService<IOptionsMonitor<ParanoidPirateWorkerServiceOptions>>().Get(name),
            new RequestDispatcher(sp.GetRequiredService<IServiceScopeFactory>(), s => s.GetRequiredService<THandler>(), "ppp"),
            sp.GetRequiredService<ILogger<ParanoidPirateWorkerService>>(),
            sp.GetRequiredService<IHostApplicationLifetime>()));
        return services;
    }

    /// <summary>
    /// Adds one server of a Binary Star pair as a hosted service answering with <typeparamref name="THandler"/>, configured from
    /// <paramref name="section"/> (<see cref="BinaryStarServiceOptions"/>). <see cref="BinaryStarService"/> is also registered, for its state.
    /// </summary>
    /// <typeparam name="THandler">The request handler (registered scoped if it is not registered yet).</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <param name="section">The configuration section: <c>"ZmqNative:BinaryStar"</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddBinaryStarServer<THandler>(this IServiceCollection services, Action<BinaryStarServiceOptions>? configure = null, string section = BinaryStarServiceOptions.SectionName)
        where THandler : class, IZmqRequestHandler
    {
        services.AddZmqNative();
        services.TryAddScoped<THandler>();
        Bind(services, Options.DefaultName, section, configure);
        if (Registered<BinaryStarService>(services))
        {
            return services;
        }

        services.AddSingleton(sp => new BinaryStarService(
            sp.GetRequiredService<ZmqContext>(),
            sp.GetRequiredService<IOptions<BinaryStarServiceOptions>>().Value,
            new RequestDispatcher(sp.GetRequiredService<IServiceScopeFactory>(), s => s.GetRequiredService<THandler>(), "binarystar"),
            sp.GetRequiredService<ZmqNativeMetrics>(),
            sp.GetRequiredService<ILogger<BinaryStarService>>(),
            sp.GetRequiredService<IHostApplicationLifetime>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<BinaryStarService>());
        return services;
    }

    /// <summary>Adds a Freelance server (RFC 10) as a hosted service answering with <typeparamref name="THandler"/>, configured from <paramref name="section"/>.</summary>
    /// <typeparam name="THandler">The request handler (registered scoped if it is not registered yet).</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Changes after configuration binding, if any.</param>
    /// <param name="section">The configuration section: <c>"ZmqNative:FreelanceServer"</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddFreelanceServer<THandler>(this IServiceCollection services, Action<FreelanceServiceOptions>? configure = null, string section = FreelanceServiceOptions.SectionName)
        where THandler : class, IZmqRequestHandler
    {
        services.AddZmqNative();
        services.TryAddScoped<THandler>();
        Bind(services, Options.DefaultName, section, configure);
        if (Registered<FreelanceService>(services))
        {
            return services;
        }

        services.AddSingleton(sp => new FreelanceService(
            sp.GetRequiredService<ZmqContext>(),
            sp.GetRequiredService<IOptions<FreelanceServiceOptions>>().Value,
            new RequestDispatcher(sp.GetRequiredService<IServiceScopeFactory>(), s => s.GetRequiredService<THandler>(), "flp"),
            sp.GetRequiredService<ILogger<FreelanceService>>(),
            sp.GetRequiredService<IHostApplicationLifetime>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<FreelanceService>());
        return services;
    }

    private static IServiceCollection AddMajordomoWorker(IServiceCollection services, string service, Func<IServiceProvider, IZmqRequestHandler> resolve, Action<MajordomoWorkerServiceOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        if (service.StartsWith("mmi.", StringComparison.Ordinal))
        {
            throw new ArgumentException("mmi.* is reserved for the broker (RFC 8)", nameof(service));
        }

        services.AddZmqNative();
        string name = Bind(services, "majordomo-worker:" + service, MajordomoWorkerServiceOptions.SectionName + ":" + service, configure);
        services.AddSingleton<IHostedService>(sp => new MajordomoWorkerService(
            sp.GetRequiredService<ZmqContext>(),
            sp.GetRequiredService<IOptionsMonitor<MajordomoWorkerServiceOptions>>().Get(name),
            new RequestDispatcher(sp.GetRequiredService<IServiceScopeFactory>(), resolve, service),
            sp,
            sp.GetRequiredService<ILogger<MajordomoWorkerService>>(),
            sp.GetRequiredService<IHostApplicationLifetime>()));
        return services;
    }

    private static string Bind<TOptions>(IServiceCollection services, string name, string section, Action<TOptions>? configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(section);
        var builder = services.AddOptions<TOptions>(name).BindConfiguration(section);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return name;
    }

    /// <summary>Whether a single-instance server is registered already: adding it again would start the same instance twice.</summary>
    private static bool Registered<TService>(IServiceCollection services) => services.Any(d => d.ServiceType == typeof(TService));

    private static bool Valid(Action validate)
    {
        try
        {
            validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
