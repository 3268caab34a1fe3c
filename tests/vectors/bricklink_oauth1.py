#!/usr/bin/env python3
"""OAuth 1.0a HMAC-SHA1 test vectors for BrickDesk's signer (engine) and verifier (brickdesk-sim).

Standard library only, written from RFC 5849 and nothing in this repository, so that a bug in the
Rust code cannot also be in the expected values. It first reproduces published signatures (to
prove itself), then writes them and the BrickLink-shaped vectors to bricklink_oauth1.json next to
this script, which the tests of src-tauri/engine/src/marketplaces/bricklink/oauth.rs and
src-tauri/sim/src/bricklink/signature.rs both read; re-run with
`python3 tests/vectors/bricklink_oauth1.py` after a change.
"""
import base64, hashlib, hmac, json, os, re
from urllib.parse import quote


def enc(s):  # RFC 5849 §3.6: everything but ALPHA DIGIT - . _ ~ as %XX of the UTF-8 bytes
    return quote(s, safe="-._~")


def base_string(method, url, params):  # §3.4.1: params decoded, protocol ones included
    norm = "&".join(f"{k}={v}" for k, v in sorted((enc(k), enc(v)) for k, v in params))
    return "&".join([method.upper(), enc(url), enc(norm)])


def sign(base, consumer_secret, token_secret):  # §3.4.2
    key = f"{enc(consumer_secret)}&{enc(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()


PUBLISHED = []


def published(name, note, method, url, params, cs, ts, signature, printed_base=None):
    base = base_string(method, url, params)
    assert printed_base is None or base == printed_base, (name, base)
    assert sign(base, cs, ts) == signature, (name, signature)
    PUBLISHED.append({"name": name, "note": note, "method": method, "base_url": url, "params": params,
                      "consumer_secret": cs, "token_secret": ts, "base_string": printed_base, "signature": signature})


RFC_OAUTH = [("oauth_consumer_key", "9djdj82h48djs9d2"), ("oauth_token", "kkk9d7dh3k39sjv7"),
             ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "137131201"), ("oauth_nonce", "7d8f3e4a")]
published("rfc5849_3_4_1_1", "RFC 5849 §3.4.1.1 (request of §3.1, secrets of §3.1): query "
          "`b5=%3D%253D&a3=a&c%40=&a2=r%20b` plus form body `c2&a3=2+q`. The RFC prints "
          "`bYT5CMsGcbgUdFHObYMEfcx6bsw=`, which its own base string and secrets do not give; erratum 2550 "
          "corrects it to this signature. Only this example prints its base string.",
          "POST", "http://example.com/request", [("b5", "=%3D"), ("a3", "a"), ("c@", ""), ("a2", "r b"), ("c2", ""),
          ("a3", "2 q")] + RFC_OAUTH, "j49sk3j29djd", "dh893hdasih9", "r6/TJjbCOr97/+UU0NsvSne7s5g=",
          "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D"
          "%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1"
          "%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
published("rfc5849_1_2_initiate", "RFC 5849 §1.2, temporary credentials: a callback URL to encode and an empty token secret.",
          "POST", "https://photos.example.net/initiate", [("oauth_consumer_key", "dpf43f3p2l4k3l03"),
          ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "137131200"), ("oauth_nonce", "wIjqoS"),
          ("oauth_callback", "http://printer.example.com/ready")], "kd94hf93k423kf44", "", "74KNZJeDHnMBp0EMJ9ZHt/XKycU=")
published("rfc5849_1_2_token", "RFC 5849 §1.2, token credentials.",
          "POST", "https://photos.example.net/token", [("oauth_consumer_key", "dpf43f3p2l4k3l03"),
          ("oauth_token", "hh5s93j4hdidpola"), ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", "137131201"),
          ("oauth_nonce", "walatlh"), ("oauth_verifier", "hfdp7dh39dks9884")], "kd94hf93k423kf44", "hdhd0244k9j7ao03",
          "gKgrFCywp7rO0OXSjdot/IHF7IU=")
published("rfc5849_1_2_photos", "RFC 5849 §1.2, protected resource: "
          "`GET http://photos.example.net/photos?file=vacation.jpg&size=original`.",
          "GET", "http://photos.example.net/photos", [("file", "vacation.jpg"), ("size", "original"),
          ("oauth_consumer_key", "dpf43f3p2l4k3l03"), ("oauth_token", "nnch734d00sl2jdk"), ("oauth_signature_method",
          "HMAC-SHA1"), ("oauth_timestamp", "137131202"), ("oauth_nonce", "chapoH")], "kd94hf93k423kf44",
          "pfkkdhi9sl3r4s00", "MdpQcU8iPSUjWoN/UDMsK2sui9I=")

BL = "https://api.bricklink.com/api/store/v1"
KEYS = ("5D2B9C0E4F6A41B8A3C7E1F09D8B2A64", "A0C4E8F21B3D5F7092B4D6F8A1C3E5F7",
        "E7C1A93F5B2D4E6081F3A5C7E9B1D3F5", "9F8E7D6C5B4A39281706F5E4D3C2B1A0")
VECTORS = [  # the first is OAuth Core 1.0 Appendix A.5, published signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=; name, method, url, query (decoded, in sending order), consumer key/secret, token/secret, ts, nonce
    ("oauth_core_1_0_appendix_a", "GET", "http://photos.example.net/photos", [("file", "vacation.jpg"),
     ("size", "original")], "dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00",
     1191242096, "kllo9940pd9333jh"),
    ("open_orders", "GET", BL + "/orders", [("direction", "in"), ("status", "-purged,-completed,-cancelled")], *KEYS,
     1754000001, "Xq3vR8kTz1LmN0pA"),
    ("values_with_space_plus_star_tilde_unicode", "GET", BL + "/inventories", [("item_type", "PART,MINIFIG"),
     ("description", "Brick 2 x 4 ż€"), ("remarks", "a+b*c~d e,f")], *KEYS, 1754000002, "b7YtW2nQe9SdK4uH"),
    ("keys_encoded_then_sorted_and_odd_secrets", "GET", BL + "/items/PART/3001/price", [("z", "zz"), ("ż", "ż"),
     ("a b", "1"), ("a+b", "2"), ("a*", "3"), ("a~", "4"), ("€", "5"), ("dup", "b"), ("dup", "B"), ("dup", "a b"),
     ("empty", "")], "ck+/=~*", "cs a+b/c=d&e~f*g,ż€", "tk,€", "ts+&=ż", 1754000003, "M4cPz8uL0gJ2wRxY"),
    ("name_that_prefixes_another_sorts_first", "GET", BL + "/items/PART/3001/price", [("guide_type", "sold"),
     ("new1", "c"), ("new-x", "b"), ("new.x", "d"), ("new", "a"), ("new_or_used", "N")], *KEYS, 1754000005,
     "Wd6Lq0Zs3Fy8Hn2J"),
    ("put_without_query", "PUT", BL + "/inventories/38000001", [], *KEYS, 1754000004, "F9hK1sD5aQ7eT3vB"),
]

vectors = []
for name, method, url, query, ck, cs, tk, ts_, ts, nonce in VECTORS:
    proto = [("oauth_consumer_key", ck), ("oauth_nonce", nonce), ("oauth_signature_method", "HMAC-SHA1"),
             ("oauth_timestamp", str(ts)), ("oauth_token", tk), ("oauth_version", "1.0")]
    base = base_string(method, url, query + proto)
    sig = sign(base, cs, ts_)
    assert name != "oauth_core_1_0_appendix_a" or sig == "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
    # §3.5.1 leaves the order free; this is the engine's layout (realm, protocol params, signature).
    header = "OAuth " + ", ".join(['realm=""'] + [f'{k}="{enc(v)}"' for k, v in proto + [("oauth_signature", sig)]])
    raw_query = "&".join(f"{enc(k)}={enc(v)}" for k, v in query)
    vectors.append({"name": name, "method": method, "base_url": url, "query": query, "raw_query": raw_query,
                    "consumer_key": ck, "consumer_secret": cs, "token": tk, "token_secret": ts_, "timestamp": ts,
                    "nonce": nonce, "base_string": base, "signature": sig, "header": header})

out = {
    "about": "Written by bricklink_oauth1.py (do not edit by hand). `published`: examples printed in RFC 5849 with every "
             "decoded parameter to sign, protocol ones included. `vectors`: requests shaped as BrickDesk signs them "
             "(all six protocol parameters, query only, decoded in sending order); the first is OAuth Core 1.0 "
             "Appendix A.5, whose base string and signature are published; `header` is the engine's layout.",
    "published": PUBLISHED,
    "vectors": vectors,
}
text = json.dumps(out, ensure_ascii=False, indent=1)
# One (name, value) pair a line.
text = re.sub(r'\[\n *("(?:[^"\\]|\\.)*"),\n *("(?:[^"\\]|\\.)*")\n *\]', r"[\1, \2]", text)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bricklink_oauth1.json"), "w", encoding="utf-8") as f:
    f.write(text + "\n")
