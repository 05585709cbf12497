using System.Globalization;
using Insightly.Unified.LoadBench;

// bench/run.sh drives this; the modes are separate processes so that the fake, the peer and the host never share a heap.
//   fake   <port> <accounts> <keys-file>   the fast fake Insightly
//   yarp   <port> <insightly-base> <key>   the YARP passthrough peer
//   run    [options]                       the whole load, memory and count run (see Driver)
var mode = args.Length > 0 ? args[0] : "run";
switch (mode)
{
    case "fake":
        await FastInsightly.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
        break;
    case "yarp":
        await YarpPeer.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3]);
        break;
    case "run":
        return await Driver.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: Insightly.Unified.LoadBench fake|yarp|run …");
        return 2;
}

return 0;
