"""Train the shipped NER model (``make train-ner``): one command, fixed seed, at most ~40 minutes on one core.

Builds the DocBins (:mod:`eval.ner_data`), trains a spaCy CNN entity recogniser with the
pymorphy3 features of :func:`litopys.stages.ner.word_features` (``LEMMA`` and ``TAG`` embedded
beside norm, prefix, suffix and shape), checks the dev set (the slavicner training topic
``brexit``, held out whole: see :mod:`eval.ner_data`) every ``--eval-every`` updates, keeps
the best by document-level set F1 (PER/LOC/ORG), and writes it to ``src/litopys/models/ner``
(``--out``). Stops at ``--minutes`` or after ``--patience`` checks without improvement.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from eval.ner_data import BUILD, ROOT, build  # noqa: E402

SEED = 0
MODEL_OUT = ROOT / "src" / "litopys" / "models" / "ner"
LABELS = ("PER", "LOC", "ORG", "EVT", "PRO")
#: sources seen twice per epoch: they follow the BSNLP guidelines the evaluation uses
UPSAMPLE = {"slavicner": 2, "bsnlp": 2}
WIDTH = 128
EMBED_ATTRS = ["NORM", "LEMMA", "PREFIX", "SUFFIX", "SHAPE", "TAG"]
EMBED_ROWS = [10000, 10000, 2000, 4000, 500, 2000]


def model_config() -> dict[str, Any]:
    return {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 64,
            "maxout_pieces": 2,
            "use_upper": True,
            "nO": None,
            "tok2vec": {
                "@architectures": "spacy.Tok2Vec.v2",
                "embed": {
                    "@architectures": "spacy.MultiHashEmbed.v2",
                    "width": WIDTH,
                    "attrs": EMBED_ATTRS,
                    "rows": EMBED_ROWS,
                    "include_static_vectors": False,
                },
                "encode": {
                    "@architectures": "spacy.MaxoutWindowEncoder.v2",
                    "width": WIDTH,
                    "depth": 4,
                    "window_size": 1,
                    "maxout_pieces": 3,
                },
            },
        }
    }


def examples(nlp: Any, docs: list[Any]) -> list[Any]:
    from spacy.tokens import Doc
    from spacy.training import Example

    out = []
    for ref in docs:
        pred = Doc(
            nlp.vocab,
            words=[t.text for t in ref],
            spaces=[bool(t.whitespace_) for t in ref],
            lemmas=[t.lemma_ for t in ref],
            tags=[t.tag_ for t in ref],
        )
        out.append(Example(pred, ref))
    return out


def dev_score(nlp: Any, dev: list[Any]) -> dict[str, float]:
    """Document-level set F1 (PER/LOC/ORG, normalised forms) and exact-span F1 on the dev docs."""
    from eval.ner import form_key

    tp = fp = fn = etp = efp = efn = 0
    ner = nlp.get_pipe("ner")
    for eg in dev:
        pred = ner(eg.predicted.copy())
        gold_spans = {(e.start_char, e.end_char, e.label_) for e in eg.reference.ents}
        pred_spans = {(e.start_char, e.end_char, e.label_) for e in pred.ents}
        etp += len(gold_spans & pred_spans)
        efp += len(pred_spans - gold_spans)
        efn += len(gold_spans - pred_spans)
        text = eg.reference.text
        gold = {form_key(text[s:e], t) for s, e, t in gold_spans if t in LABELS[:3]}
        found = {form_key(text[s:e], t) for s, e, t in pred_spans if t in LABELS[:3]}
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)

    def f1(a: int, b: int, c: int) -> float:
        return 2 * a / (2 * a + b + c) if a else 0.0

    return {"doc_set_f1": f1(tp, fp, fn), "exact_f1": f1(etp, efp, efn)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=MODEL_OUT)
    parser.add_argument("--minutes", type=float, default=40.0)
    parser.add_argument("--eval-every", type=int, default=300)
    parser.add_argument("--patience", type=int, default=8)
    parser.add_argument("--skip-data", action="store_true", help="reuse build/ner/*.spacy")
    args = parser.parse_args()

    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    started = time.time()
    fix_random_seed(SEED)
    rng = random.Random(SEED)
    if not args.skip_data or not (BUILD / "train.spacy").is_file():
        print("building", build(args.shared), flush=True)
    nlp = spacy.blank("uk")
    nlp.add_pipe("ner", config=model_config())
    train_docs = list(DocBin().from_disk(BUILD / "train.spacy").get_docs(nlp.vocab))
    dev_docs = list(DocBin().from_disk(BUILD / "dev.spacy").get_docs(nlp.vocab))
    weighted = []
    for doc in train_docs:
        weighted += [doc] * UPSAMPLE.get(doc.user_data.get("source", ""), 1)
    train = examples(nlp, weighted)
    dev = examples(nlp, dev_docs)
    for label in LABELS:
        nlp.get_pipe("ner").add_label(label)
    optimizer = nlp.initialize(lambda: train[:500])
    optimizer.learn_rate = 0.001
    words = sum(len(eg.reference) for eg in train)
    print(f"{len(train)} training chunks, {words} tokens per epoch; dev {len(dev)} docs", flush=True)

    best, best_step, checks_since, step, epoch = -1.0, 0, 0, 0, 0
    tmp = BUILD / "model-best"
    log = []
    deadline = started + args.minutes * 60
    done = False
    while not done:
        epoch += 1
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=4):
            nlp.update(list[Example](batch), drop=0.15, sgd=optimizer, losses=losses)
            step += 1
            if step % args.eval_every == 0:
                with nlp.use_params(optimizer.averages):
                    score = dev_score(nlp, dev)
                    if score["doc_set_f1"] > best:
                        best, best_step, checks_since = score["doc_set_f1"], step, 0
                        nlp.to_disk(tmp)
                    else:
                        checks_since += 1
                entry = {"epoch": epoch, "step": step, "minutes": round((time.time() - started) / 60, 1)}
                entry |= {
                    "loss": round(float(losses.get("ner", 0.0)), 1),
                    **{k: round(v, 4) for k, v in score.items()},
                }
                log.append(entry)
                print(json.dumps(entry), flush=True)
                losses = {}
                if time.time() > deadline or checks_since >= args.patience:
                    done = True
                    break
    print(f"best dev doc-set F1 {best:.4f} at step {best_step}; {(time.time() - started) / 60:.1f} min")
    if args.out.exists():
        for item in args.out.iterdir():
            if item.name != "MODEL_CARD.md":
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    args.out.mkdir(parents=True, exist_ok=True)
    for item in tmp.iterdir():
        target = args.out / item.name
        shutil.copytree(item, target) if item.is_dir() else shutil.copy2(item, target)
    # the network reads hashes, not strings: keep only the labels (saves ~8 MB of training strings)
    (args.out / "vocab" / "strings.json").write_text(json.dumps(sorted(LABELS)), encoding="utf-8")
    meta = {
        "seed": SEED,
        "best_step": best_step,
        "dev_doc_set_f1": best,
        "minutes": round((time.time() - started) / 60, 1),
        "log": log,
    }
    (args.out / "training.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
