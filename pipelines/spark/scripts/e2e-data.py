"""Tiny hand-made input for the manual end-to-end check: prints "key|json" lines for one phase.
phase 1 (cdr): rated records, an exact duplicate, four invalid records, a WANGIRI burst, a record that moves the
watermark; phase 2 (cdr): a late record, a new record, a duplicate across batches; pm: a cell going to sleep."""
import json
import sys

T0 = 1767607200000  # 2026-01-05 10:00 UTC
A, B = "001010000000001", "001010000000002"
out = []


def voice(i, sub, t, num, dur, cell="c1", imei="490154203237518"):
    return (sub, json.dumps({"id": i, "type": "voice", "subscriber": sub, "eventTime": t + dur * 1000, "emitNs": 1000 + len(out),
                             "recordType": "moCallRecord", "servedIMSI": sub, "servedIMEI": imei, "calledNumber": num,
                             "answerTime": t, "releaseTime": t + dur * 1000, "callDuration": dur,
                             "causeForTerm": 0 if dur else 3, "callReference": "r" + i, "recordSequenceNumber": 1, "cell": cell}))


phase = sys.argv[1]
if phase == "1":
    out.append(voice("a1", A, T0, "353861234567", 61))  # 3000
    out.append(voice("a2", A, T0 + 600000, "353871234567", 61))  # 1017
    out.append((A, json.dumps({"id": "a3", "type": "sms", "subscriber": A, "eventTime": T0 + 700000, "emitNs": 5,
                               "servedIMSI": A, "destinationNumber": "882131234", "originationTime": T0 + 700000, "cell": "c1"})))  # 2500
    out.append((A, json.dumps({"id": "a4", "type": "data", "subscriber": A, "eventTime": T0 + 860000, "emitNs": 6,
                               "servedIMSI": A, "chargingID": "7", "recordSequenceNumber": 1, "recordOpeningTime": T0 + 800000,
                               "duration": 60, "dataVolumeUplink": 500000, "dataVolumeDownlink": 1000001,
                               "causeForRecClosing": 0, "cell": "c1"})))  # 151
    out.append(out[0])  # exact duplicate of a1
    out.append((A, "this is not json"))
    out.append((A, json.dumps({"id": "bad1", "type": "voice", "subscriber": A, "eventTime": T0, "emitNs": 7,
                               "calledNumber": "353", "answerTime": T0, "callDuration": -5})))
    out.append((A, json.dumps({"id": "bad2", "type": "voice", "subscriber": "12345", "eventTime": T0, "emitNs": 8,
                               "calledNumber": "353", "answerTime": T0, "callDuration": 5})))
    out.append((A, json.dumps({"id": "bad3", "type": "fax", "subscriber": A, "eventTime": T0, "emitNs": 9})))
    for k in range(25):
        out.append(voice("w%d" % k, B, T0 + k * 60000, "22177%07d" % k, k % 2))
    out.append(voice("a5", A, T0 + 10 * 3600000, "353861234567", 60))  # 750, moves the watermark to ~19:51
elif phase == "2":
    out.append(voice("late1", A, T0, "353861234567", 60))  # ~10 h behind the watermark: late
    out.append(voice("a6", A, T0 + 10 * 3600000 + 60000, "353861234567", 60))  # 750
    out.append(voice("a5", A, T0 + 10 * 3600000, "353861234567", 60))  # duplicate across batches
elif phase == "pm":
    for i in range(11):
        att = 200 + (i % 3) * 10 if i < 8 else 2
        out.append(("c1", json.dumps({"id": "pm%d" % i, "type": "pm", "cell": "c1", "siteId": "s1", "eventTime": T0 + i * 900000,
                                      "emitNs": 100 + i, "granularitySec": 900, "RRC.ConnEstabAtt": att, "RRC.ConnEstabSucc": att,
                                      "ERAB.EstabInitAttNbr": att, "ERAB.EstabInitSuccNbr": att, "ERAB.RelAbnormalEnbAct": 0,
                                      "RRU.PrbUsedDl": 30, "RRU.PrbAvailDl": 100, "PDCP.VolDl": 1000, "PDCP.VolUl": 10,
                                      "cellAvailSec": 900})))
    out.append(("c1", "{broken"))
elif phase.startswith("job:"):
    # job:<kind>:<guarantee>:<checkpointDir>:<prefix>:<bootstrap>
    _, kind, guarantee, ckpt, prefix, bootstrap = phase.split(":", 5)
    spec = json.load(open(sys.argv[2]))["specs"]["default"]
    trig = {"kind": kind, "intervalMs": 1000, "checkpointIntervalMs": 10000}
    print(json.dumps({"runId": prefix.strip(".").split(".")[-1], "topicPrefix": prefix, "bootstrap": bootstrap,
                      "kafkaOptions": {}, "checkpointDir": ckpt, "guarantee": guarantee, "trigger": trig,
                      "queries": ["rating", "network", "fraud"], "maxOffsetsPerTrigger": 200000, "shufflePartitions": 4,
                      "dedupWatermarkMs": 600000, "lateThresholdMs": 7200000, "ratingSpec": spec, "detectors": {}}, indent=1))
    sys.exit(0)
for k, v in out:
    print(k + "|" + v)
