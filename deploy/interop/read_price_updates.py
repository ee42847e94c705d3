#!/usr/bin/python3
"""Read Fareflow price updates from Kafka with clients that share no code with Fareflow.

The consumer is confluent-kafka (librdkafka) and the decoder is Apache Avro's
Python DatumReader. Each record must be Avro single-object encoding: the bytes
C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema,
then the Avro binary body. The script computes the expected fingerprint from
--schema itself and prints one JSON line per record on standard output.

Run it with Debian's /usr/bin/python3, which has python3-confluent-kafka and
python3-avro (deploy/interop/install.sh installs them):

    /usr/bin/python3 deploy/interop/read_price_updates.py \
        --brokers 127.0.0.1:9092 --topic price-updates --schema avro/price_update.avsc

Exit status: 0 after --max records or --idle seconds without a record, 1 on a
bad header, an undecodable body or a Kafka error, 2 on invalid arguments.
"""

import argparse
import datetime
import decimal
import io
import json
import struct
import sys
import time
import uuid

try:
    import avro.io
    import avro.schema
    import confluent_kafka
except ImportError as err:
    sys.exit(
        f"read_price_updates.py: {err}; run it with /usr/bin/python3 and install "
        "python3-confluent-kafka and python3-avro (deploy/interop/install.sh)"
    )

MAGIC = b"\xc3\x01"
HEADER_SIZE = len(MAGIC) + 8

# CRC-64-AVRO, as the Avro specification defines it under "Schema Fingerprints":
# a Rabin fingerprint whose empty value is also its reversed polynomial.
FINGERPRINT_EMPTY = 0xC15D213AA4D7A795


def _fingerprint_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (FINGERPRINT_EMPTY if fp & 1 else 0)
        table.append(fp)
    return table


_FINGERPRINT_TABLE = _fingerprint_table()


def rabin_fingerprint(data):
    """Return the 64-bit CRC-64-AVRO fingerprint of data (bytes) as an int."""
    fp = FINGERPRINT_EMPTY
    for byte in data:
        fp = (fp >> 8) ^ _FINGERPRINT_TABLE[(fp ^ byte) & 0xFF]
    return fp


# Parsing Canonical Form, written from the "Parsing Canonical Form for
# Schemas" section of the Avro specification. The installed avro package's
# Schema.canonical_form is not used: Avro 1.11.1 writes a logical type such as
# {"type": "bytes", "logicalType": "decimal"} as {"type":"bytes"}, where the
# Java reference implementation (SchemaNormalization, Avro 1.12.0) writes
# "bytes", so its fingerprints differ from Java's.
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
CANONICAL_ORDER = ("name", "type", "fields", "symbols", "items", "values", "size")


def _full_name(name, namespace):
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


def _canonical(schema, namespace, defined):
    """Return schema (parsed JSON) in canonical form, as JSON-ready data.

    namespace is the enclosing namespace. defined collects the full names of
    the named types written so far, because a later use names them only.
    """
    if isinstance(schema, list):
        return [_canonical(branch, namespace, defined) for branch in schema]
    if isinstance(schema, str):
        return schema if schema in PRIMITIVES else _full_name(schema, namespace)

    kind = schema["type"]
    if not isinstance(kind, str) or kind in PRIMITIVES:
        # A primitive with attributes, such as a logical type, reduces to its
        # name, and {"type": {...}} to the inner schema.
        return _canonical(kind, namespace, defined)

    out = {"type": kind}
    if kind in ("record", "enum", "fixed"):
        name = _full_name(schema["name"], schema.get("namespace", namespace))
        if name in defined:
            return name
        defined.add(name)
        out["name"] = name
        namespace = name.rpartition(".")[0]
    if kind == "record":
        out["fields"] = [
            {"name": field["name"], "type": _canonical(field["type"], namespace, defined)}
            for field in schema["fields"]
        ]
    elif kind == "enum":
        out["symbols"] = list(schema["symbols"])
    elif kind == "array":
        out["items"] = _canonical(schema["items"], namespace, defined)
    elif kind == "map":
        out["values"] = _canonical(schema["values"], namespace, defined)
    elif kind == "fixed":
        out["size"] = int(schema["size"])
    return {key: out[key] for key in CANONICAL_ORDER if key in out}


def canonical_form(schema_text):
    """Return the Parsing Canonical Form of a schema given as JSON text."""
    data = _canonical(json.loads(schema_text), "", set())
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


class RecordError(Exception):
    """A record that is not a valid price update."""


def decode_record(value, fingerprint, source, reader):
    """Check the single-object header of value and decode its body.

    source names where the expected fingerprint comes from, for the error.
    """
    if value is None or len(value) < HEADER_SIZE:
        size = "a null value" if value is None else f"{len(value)} bytes"
        raise RecordError(f"got {size}, want at least {HEADER_SIZE} bytes of single-object header")
    if value[:2] != MAGIC:
        raise RecordError(f"magic bytes {value[:2].hex()}, want c301 (Avro single-object encoding)")
    (got,) = struct.unpack("<Q", value[2:HEADER_SIZE])
    if got != fingerprint:
        raise RecordError(f"writer schema fingerprint {got:016x}, want {fingerprint:016x} ({source})")

    body = io.BytesIO(value[HEADER_SIZE:])
    try:
        datum = reader.read(avro.io.BinaryDecoder(body))
    except Exception as err:  # the avro package raises many unrelated types
        raise RecordError(f"invalid Avro body: {type(err).__name__}: {err}") from err
    extra = len(value) - HEADER_SIZE - body.tell()
    if extra:
        raise RecordError(f"{extra} bytes after the Avro body")
    return datum


def format_amount(amount):
    """Format an Avro decimal (scale 4) as a string with 4 fractional digits."""
    if not isinstance(amount, decimal.Decimal):
        raise RecordError(f"offered_price decoded as {type(amount).__name__}, want decimal.Decimal")
    fixed = amount.quantize(decimal.Decimal("0.0001"))
    if fixed != amount:
        raise RecordError(f"offered_price {amount} has more than 4 fractional digits")
    return format(fixed, "f")


def summary(datum):
    """Return the printed fields of one decoded price update."""
    flight = datum["flight"]
    date = flight["departure_date"]
    if not isinstance(date, datetime.date):
        raise RecordError(f"departure_date decoded as {type(date).__name__}, want datetime.date (logicalType date)")
    price = datum["offered_price"]
    return {
        "flight": f"{flight['carrier']}{flight['number']}/{date.isoformat()}/{flight['origin']}",
        "cabin": datum["cabin"],
        "sequence": datum["sequence"],
        "offered_class": datum["offered_class"],
        "offered_price": None if price is None else format_amount(price),
        "currency": datum["currency"],
        "policy_version": datum["policy_version"],
        "cause_event_id": datum["cause_event_id"],
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--brokers", help="bootstrap servers as host:port[,host:port...], required unless --print-fingerprint")
    parser.add_argument("--topic", help="topic to read, such as price-updates, required unless --print-fingerprint")
    parser.add_argument("--schema", required=True, help="writer schema file, for example avro/price_update.avsc")
    parser.add_argument("--max", type=int, default=0, help="stop after this many records (default 0: no limit)")
    parser.add_argument(
        "--idle", type=float, default=10.0,
        help="stop after this many seconds without a record, counted from the start, "
        "from each partition assignment and from each record (default 10)",
    )
    parser.add_argument("--group", default="", help="consumer group id (default: a new unique id per run)")
    parser.add_argument(
        "--fingerprint",
        help="expect this writer fingerprint (16 hex digits, as printed) instead of the one computed from --schema",
    )
    parser.add_argument(
        "--print-fingerprint", action="store_true",
        help="print the CRC-64-AVRO fingerprint of --schema in hex, then on a second line "
        "the Parsing Canonical Form it is computed from, and exit without reading Kafka",
    )
    args = parser.parse_args(argv)

    if not args.print_fingerprint:
        for name in ("brokers", "topic"):
            if not getattr(args, name):
                parser.error(f"--{name} is required")
    if args.max < 0:
        parser.error(f"--max is {args.max}, want 0 or more")
    if args.idle <= 0:
        parser.error(f"--idle is {args.idle}, want more than 0 seconds")
    if args.fingerprint is not None:
        try:
            args.fingerprint = int(args.fingerprint, 16)
        except ValueError:
            parser.error(f"--fingerprint {args.fingerprint!r} is not hexadecimal")
        if not 0 <= args.fingerprint < 1 << 64:
            parser.error("--fingerprint must fit in 64 bits (16 hex digits)")
    return args


def read(args, fingerprint, source, reader):
    """Consume args.topic, print one JSON line per record and return the exit status."""
    fatal = []

    def on_error(err):
        # librdkafka retries transient errors itself, so only a fatal one stops the read.
        print(f"read_price_updates.py: kafka: {err}", file=sys.stderr)
        if err.fatal():
            fatal.append(err)

    last_activity = time.monotonic()

    def on_assign(consumer, partitions):
        nonlocal last_activity
        last_activity = time.monotonic()

    consumer = confluent_kafka.Consumer({
        "bootstrap.servers": args.brokers,
        "group.id": args.group or f"read-price-updates-{uuid.uuid4()}",
        "isolation.level": "read_committed",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "error_cb": on_error,
    })
    try:
        consumer.subscribe([args.topic], on_assign=on_assign)
        count = 0
        while args.max == 0 or count < args.max:
            if fatal:
                return 1
            if time.monotonic() - last_activity >= args.idle:
                break
            msg = consumer.poll(0.2)
            if msg is None:
                continue
            where = f"{msg.topic()} partition {msg.partition()} offset {msg.offset()}"
            if msg.error():
                print(f"read_price_updates.py: {where}: {msg.error()}", file=sys.stderr)
                return 1
            last_activity = time.monotonic()
            try:
                line = summary(decode_record(msg.value(), fingerprint, source, reader))
            except RecordError as err:
                print(f"read_price_updates.py: record at {where}: {err}", file=sys.stderr)
                return 1
            print(json.dumps(line, ensure_ascii=False), flush=True)
            count += 1
    finally:
        consumer.close()
    return 0


def main(argv):
    args = parse_args(argv)

    try:
        with open(args.schema, encoding="utf-8") as f:
            schema_text = f.read()
        schema = avro.schema.parse(schema_text)
        canonical = canonical_form(schema_text)
    except Exception as err:  # avro's parse errors differ between versions
        print(f"read_price_updates.py: invalid schema file {args.schema}: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    computed = rabin_fingerprint(canonical.encode("utf-8"))
    if args.print_fingerprint:
        print(f"{computed:016x}")
        print(canonical)
        return 0

    if args.fingerprint is None:
        fingerprint, source = computed, f"computed from {args.schema}"
    else:
        fingerprint, source = args.fingerprint, "--fingerprint"
    return read(args, fingerprint, source, avro.io.DatumReader(schema))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
