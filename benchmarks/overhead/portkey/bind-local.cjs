// Preloaded into Portkey's server (node -r): it listens on every interface by default, and the
// overhead harness only ever serves on loopback, so every listen() is pinned to 127.0.0.1.
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number") return listen.call(this, args[0], "127.0.0.1", ...args.slice(1));
  if (args[0] && typeof args[0] === "object") return listen.call(this, { ...args[0], host: "127.0.0.1" }, ...args.slice(1));
  return listen.apply(this, args);
};
