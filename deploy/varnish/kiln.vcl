# Varnish in front of `kiln serve` (docs/deploy.md). Pages are cached for a
# long time, because kiln purges exactly the pages a build rewrites or
# removes: a PURGE per URL path, or with `xkey_purge = true` in [edge] a
# PURGE carrying `xkey-purge: TAG…` (the tags kiln sends in each page's
# `xkey` header, from its dependency keys). Purges are accepted from the
# addresses in `purgers` only.
#
# Tested by tests/edge/varnish_test.cc (Varnish 7.1 and varnish-modules from
# Debian), which replaces the backend's port with the one kiln serve took.
vcl 4.1;

import xkey;

backend kiln {
    .host = "127.0.0.1";
    .port = "8080";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # One cache entry per page: /posts/a/index.html is the file of /posts/a/,
    # and kiln purges the folder URL.
    set req.url = regsub(req.url, "^([^?]*/)index\.html(\?.*)?$", "\1\2");

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "PURGE not allowed from " + client.ip));
        }
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.x-purged + " objects"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # Comments and the rebuild webhook go to kiln, never cached.
        return (pass);
    }
    if (req.url ~ "^/_kiln/") {
        # Live reload (kiln serve --watch) is a stream.
        return (pass);
    }
    # Pages are the same for every reader: cookies do not matter.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_response {
    # kiln says "s-maxage" for caches that get no purges; this one does, so
    # a page is kept until kiln purges it (or for a week).
    if (beresp.status == 200 && beresp.http.xkey) {
        set beresp.ttl = 7d;
        set beresp.grace = 10s;
    }
}

sub vcl_deliver {
    # Shows whether the answer came from the cache (the tests read it).
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The tags are for this cache, not for browsers.
    unset resp.http.xkey;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}
