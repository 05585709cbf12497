using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Insightly.Unified.Functions.Hosting;
using Insightly.Unified.Storage;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Runs the queue-triggered functions against the storage account's queues (Azurite locally) the way the Functions host's
/// queue listener does: it polls each queue, backing off up to <c>maxPollingInterval</c> while it is empty; takes up to
/// <c>batchSize</c> messages at a time, hidden while they are processed; deletes a message whose function succeeded; makes
/// a failed one visible again after <c>visibilityTimeout</c>, and once it has been dequeued <c>maxDequeueCount</c> times
/// moves it to <c>{queue}-poison</c>. Messages are base64, as the trigger expects. A queue name <c>%SETTING%</c> comes
/// from the app settings with no default; unset, the function is disabled with an error, as the Functions host does. The
/// host's own switch <c>AzureWebJobs.{FunctionName}.Disabled</c> turns a function off here too.
/// </summary>
public sealed class LocalQueuePoller(
    FunctionCatalog catalog,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<LocalQueuePoller> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = QueueHostSettings.Read(Path.Combine(AppContext.BaseDirectory, "host.json"), configuration);
        var service = StorageConnection.FromConfiguration(configuration)
            .CreateQueueServiceClient(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        return Task.WhenAll(catalog.QueueFunctions.Select(function => Task.Run(() => PollAsync(function, service, settings, stoppingToken), CancellationToken.None)));
    }

    private async Task PollAsync(QueueFunction function, QueueServiceClient service, QueueHostSettings settings, CancellationToken stoppingToken)
    {
        if (bool.TryParse(configuration[$"AzureWebJobs.{function.Name}.Disabled"], out var disabled) && disabled)
        {
            logger.LogInformation("Queue function {Function} is disabled by the setting AzureWebJobs.{Function}.Disabled", function.Name, function.Name);
            return;
        }

        string queueName;
        try
        {
            queueName = LocalTimerScheduler.ResolveSetting(function.QueueName, configuration);
        }
        catch (InvalidOperationException exception)
        {
            logger.LogError("Queue function {Function} is disabled: {Reason}", function.Name, exception.Message);
            return;
        }

        var queue = service.GetQueueClient(queueName);
        var poison = service.GetQueueClient(queueName + "-poison");
        logger.LogInformation("Queue function {Function} listens to queue {Queue}", function.Name, queueName);
        var wait = MinPollingInterval;
        var exists = false;
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                if (!exists)
                {
                    // As the host does: a queue the app has not written to yet is created rather than polled in error.
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    exists = true;
                }

                var room = settings.BatchSize + settings.NewBatchThreshold - running.Count;
                messages = room <= 0 ? [] : (await queue.ReceiveMessagesAsync(Math.Min(room, settings.BatchSize), QueueHostSettings.ProcessingVisibility, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                exists = exception is not RequestFailedException { Status: 404 } && exists;
                logger.LogWarning("Queue function {Function} could not read queue {Queue}: {ErrorType} {ErrorMessage}",
                    function.Name, queueName, exception.GetType().Name, exception.Message);
                messages = [];
            }

            running.AddRange(messages.Select(message => ProcessAsync(function, queue, poison, message, settings, stoppingToken)));
            running.RemoveAll(task => task.IsCompleted);
            if (messages.Length > 0)
            {
                wait = MinPollingInterval;
                // Like the host, read a new batch once the running ones fall to newBatchThreshold.
                while (running.Count > settings.NewBatchThreshold)
                {
                    await Task.WhenAny(running);
                    running.RemoveAll(task => task.IsCompleted);
                }

                continue;
            }

            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            wait = wait * 2 < settings.MaxPollingInterval ? wait * 2 : settings.MaxPollingInterval;
        }

        await Task.WhenAll(running);
    }

    private async Task ProcessAsync(
        QueueFunction function, QueueClient queue, QueueClient poison, QueueMessage message, QueueHostSettings settings, CancellationToken stoppingToken)
    {
        var succeeded = false;
        await using (var scope = scopes.CreateAsyncScope())
        {
            try
            {
                var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
                var arguments = function.Method.GetParameters()
                    .Select(p => p.ParameterType == typeof(CancellationToken) ? stoppingToken : (object)message.Body.ToString())
                    .ToArray();
                await (Task)function.Method.Invoke(instance, arguments)!;
                succeeded = true;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Queue function {Function} failed on message {MessageId} (dequeue count {DequeueCount})",
                    function.Name, message.MessageId, message.DequeueCount);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the message becomes visible again when its invisibility runs out, as in Azure.
                return;
            }
        }

        try
        {
            if (succeeded)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
                await poison.SendMessageAsync(message.Body.ToString(), cancellationToken: CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                logger.LogWarning("Message {MessageId} of queue {Queue} failed {DequeueCount} times and was moved to {PoisonQueue}",
                    message.MessageId, queue.Name, message.DequeueCount, poison.Name);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (RequestFailedException exception)
        {
            logger.LogWarning("Could not complete message {MessageId} of queue {Queue}: {Status} {ErrorCode}", message.MessageId, queue.Name, exception.Status, exception.ErrorCode);
        }
    }
}
