/**
 * A gateway that is stopping (SIGTERM) says so to every socket it has (`server:draining`) and refuses new ones with
 * this `connect_error` message, whose `data` is the same notice. An extension of PROTOCOL.md.
 */
export const DRAINING = 'draining';

/** Where to go and how long there is to leave. */
export interface DrainingNotice {
  /**
   * Other gateways to connect to (with the same token: it is valid at every gateway). Empty: reconnect to the same
   * address once this socket is closed; behind a load balancer that reaches another gateway. May name the gateway that
   * sends it: a client skips the one it is on.
   */
  urls: string[];
  /**
   * Sockets still open this long after the notice are closed by the gateway, each once the requests it sent are
   * answered. Requests sent meanwhile are still answered.
   */
  closingInMs: number;
}
