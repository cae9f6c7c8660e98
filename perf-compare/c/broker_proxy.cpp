// The C side of `perf-compare broker`: libzmq's own zmq_proxy between a
// ROUTER frontend and a DEALER backend, as rr-broker --proxy does and as
// rr-broker's poll loop does by hand. Built by perf-compare against the same
// static libzmq as the Rust programs.
//
// usage: broker_proxy FRONTEND BACKEND   (prints `bound <endpoint>` for each)

#include <zmq.h>
#include <stdio.h>

static int bind_and_show (void *socket, const char *endpoint)
{
    if (zmq_bind (socket, endpoint) != 0) {
        fprintf (stderr, "error: cannot bind %s: %s\n", endpoint,
                 zmq_strerror (zmq_errno ()));
        return -1;
    }
    char bound[256];
    size_t size = sizeof bound;
    if (zmq_getsockopt (socket, ZMQ_LAST_ENDPOINT, bound, &size) != 0)
        return -1;
    printf ("bound %s\n", bound);
    fflush (stdout);
    return 0;
}

int main (int argc, char *argv[])
{
    if (argc != 3) {
        fprintf (stderr, "usage: broker_proxy FRONTEND BACKEND\n");
        return 2;
    }
    void *context = zmq_ctx_new ();
    void *frontend = zmq_socket (context, ZMQ_ROUTER);
    void *backend = zmq_socket (context, ZMQ_DEALER);
    if (bind_and_show (frontend, argv[1]) != 0
        || bind_and_show (backend, argv[2]) != 0)
        return 1;
    // Runs until the process is killed (the benchmark kills it).
    zmq_proxy (frontend, backend, NULL);
    zmq_close (frontend);
    zmq_close (backend);
    zmq_ctx_term (context);
    return 0;
}
