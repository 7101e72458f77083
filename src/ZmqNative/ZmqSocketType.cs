using ZmqNative.Interop;

namespace ZmqNative;

/// <summary>The socket types of libzmq (zmq_socket(3)); the values are zmq.h's.</summary>
public enum ZmqSocketType
{
    /// <summary>ZMQ_PAIR: exclusive connection to one peer, both ways.</summary>
    Pair = LibZmq.ZMQ_PAIR,
    /// <summary>ZMQ_PUB: sends every message to each subscriber whose subscription matches it.</summary>
    /// <remarks>
    /// <b>Slow joiners lose messages.</b> A SUB's subscription travels to the PUB after the
    /// connection is made, asynchronously; until it arrives the PUB filters the SUB out, so the
    /// first messages a PUB sends after a SUB connects (or binds) are dropped for that SUB, without
    /// an error (zmq_socket(3); "Getting the Message Out" in the Guide). A PUB also drops for a
    /// subscriber whose queue is at the high-water mark. When the first messages matter, synchronise
    /// first (for example, have the subscriber confirm over a REQ/REP pair, or publish until it
    /// answers), or use XPUB, which receives the subscriptions.
    /// </remarks>
    Pub = LibZmq.ZMQ_PUB,
    /// <summary>ZMQ_SUB: receives what it has subscribed to.</summary>
    /// <remarks>
    /// Subscribe (<see cref="ZmqSocket.Subscribe(string)"/>) before expecting messages: without a
    /// subscription a SUB receives nothing. Messages the PUB sent before this SUB's subscription
    /// reached it are not delivered (the slow-joiner loss, see <see cref="Pub"/>).
    /// </remarks>
    Sub = LibZmq.ZMQ_SUB,
    /// <summary>ZMQ_REQ: strict send, receive, send ... to a service, round-robin.</summary>
    Req = LibZmq.ZMQ_REQ,
    /// <summary>ZMQ_REP: strict receive, send ... answering clients, fair-queued.</summary>
    Rep = LibZmq.ZMQ_REP,
    /// <summary>ZMQ_DEALER: asynchronous requests, round-robin out, fair-queued in.</summary>
    Dealer = LibZmq.ZMQ_DEALER,
    /// <summary>ZMQ_ROUTER: addresses peers by routing id (the first frame).</summary>
    Router = LibZmq.ZMQ_ROUTER,
    /// <summary>ZMQ_PULL: receives from pushers, fair-queued.</summary>
    Pull = LibZmq.ZMQ_PULL,
    /// <summary>ZMQ_PUSH: sends to pullers, round-robin.</summary>
    Push = LibZmq.ZMQ_PUSH,
    /// <summary>ZMQ_XPUB: a PUB that receives subscription messages.</summary>
    XPub = LibZmq.ZMQ_XPUB,
    /// <summary>ZMQ_XSUB: a SUB that sends subscription messages.</summary>
    XSub = LibZmq.ZMQ_XSUB,
    /// <summary>ZMQ_STREAM: raw TCP peers, addressed by routing id.</summary>
    Stream = LibZmq.ZMQ_STREAM,
    /// <summary>ZMQ_SERVER (draft): thread-safe ROUTER-like, single-part messages with routing ids.</summary>
    Server = LibZmq.ZMQ_SERVER,
    /// <summary>ZMQ_CLIENT (draft): thread-safe DEALER-like, single-part messages.</summary>
    Client = LibZmq.ZMQ_CLIENT,
    /// <summary>ZMQ_RADIO (draft): thread-safe PUB with groups.</summary>
    Radio = LibZmq.ZMQ_RADIO,
    /// <summary>ZMQ_DISH (draft): thread-safe SUB that joins groups.</summary>
    Dish = LibZmq.ZMQ_DISH,
    /// <summary>ZMQ_GATHER (draft): thread-safe PULL.</summary>
    Gather = LibZmq.ZMQ_GATHER,
    /// <summary>ZMQ_SCATTER (draft): thread-safe PUSH.</summary>
    Scatter = LibZmq.ZMQ_SCATTER,
    /// <summary>ZMQ_DGRAM (draft): UDP datagrams.</summary>
    Dgram = LibZmq.ZMQ_DGRAM,
    /// <summary>ZMQ_PEER (draft): thread-safe peer-to-peer with routing ids.</summary>
    Peer = LibZmq.ZMQ_PEER,
    /// <summary>ZMQ_CHANNEL (draft): thread-safe PAIR.</summary>
    Channel = LibZmq.ZMQ_CHANNEL,
}
