"""Trains scikit-learn models on the datasets that ship inside scikit-learn and exports them to ONNX
with skl2onnx, the way a user outside Fledge would, plus the matching JSON Lines test sets.

Usage: python export_sklearn_models.py OUT_DIR

Writes OUT_DIR/<model>.onnx, OUT_DIR/<dataset>.jsonl and OUT_DIR/manifest.json, which records for
every model its dataset, task, classes and scikit-learn's own metrics on the test set (accuracy,
log-loss, MAE), and for pairs of models the share of test rows where their predictions agree.
Everything is seeded: the same versions of the libraries write the same files.
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, log_loss, mean_absolute_error
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# onnxruntime-node 1.30 reads ONNX IR ≤ 13 (onnx 1.23 writes 14 by default) and opsets up to 21;
# pinning both keeps the files loadable when the converter's defaults move on.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
IR_VERSION = 10


def split(loader, seed=0):
    data = loader()
    X = data.data.astype(np.float32)
    X_train, X_test, y_train, y_test = train_test_split(X, data.target, test_size=0.3, random_state=seed, stratify=data.target if loader is not load_diabetes else None)
    return data, X_train, X_test, y_train, y_test


def export(model, n_features, path, label_strings=False):
    options = {id(model): {"zipmap": False}} if hasattr(model, "predict_proba") else None
    onx = to_onnx(
        model,
        initial_types=[("input", FloatTensorType([None, n_features]))],
        options=options,
        target_opset=TARGET_OPSET,
    )
    onx.ir_version = IR_VERSION
    onnx.checker.check_model(onx)
    onnx.save(onx, path)


def write_jsonl(path, X, y):
    with open(path, "w") as f:
        for row, label in zip(X, y):
            value = label.item() if hasattr(label, "item") else label
            f.write(json.dumps({"features": [float(v) for v in row], "label": value}) + "\n")


def logits_model(clf, n_features, path):
    """A linear classifier exported as raw logits (no softmax), as a PyTorch export usually is."""
    W = clf.coef_.T.astype(np.float32)
    b = clf.intercept_.astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["input", "W"], ["z"]),
            helper.make_node("Add", ["z", "b"], ["logits"]),
        ],
        "logits",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, n_features])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [None, W.shape[1]])],
        [numpy_helper.from_array(W, "W"), numpy_helper.from_array(b, "b")],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onx.ir_version = IR_VERSION
    onnx.checker.check_model(onx)
    onnx.save(onx, path)


def main(out):
    os.makedirs(out, exist_ok=True)
    models = {}
    datasets = {}
    pairs = {}

    def classifier(name, clf, dataset, X_train, X_test, y_train, y_test, classes, scores="probabilities"):
        clf.fit(X_train, y_train)
        export(clf, X_train.shape[1], os.path.join(out, f"{name}.onnx"))
        proba = clf.predict_proba(X_test)
        models[name] = {
            "file": f"{name}.onnx",
            "dataset": dataset,
            "task": "classification",
            "classes": [str(c) for c in classes],
            "scores": scores,
            "accuracy": float(accuracy_score(y_test, clf.predict(X_test))),
            "logLoss": float(log_loss(y_test, proba, labels=clf.classes_)),
        }
        return clf

    # iris, integer classes: logistic regression (LinearClassifier)
    iris, X_tr, X_te, y_tr, y_te = split(load_iris)
    write_jsonl(os.path.join(out, "iris-test.jsonl"), X_te, y_te)
    datasets["iris-test"] = {"file": "iris-test.jsonl", "rows": len(y_te), "labels": sorted({str(v) for v in y_te})}
    classifier("iris-logreg", LogisticRegression(max_iter=1000), "iris-test", X_tr, X_te, y_tr, y_te, [0, 1, 2])

    # iris, class names: the label output is a string tensor
    names = np.array(iris.target_names)
    write_jsonl(os.path.join(out, "iris-names-test.jsonl"), X_te, names[y_te])
    datasets["iris-names-test"] = {"file": "iris-names-test.jsonl", "rows": len(y_te), "labels": sorted(iris.target_names.tolist())}
    classifier("iris-logreg-names", LogisticRegression(max_iter=1000), "iris-names-test", X_tr, X_te, names[y_tr], names[y_te], iris.target_names.tolist())

    # digits: random forest (TreeEnsembleClassifier), logistic regression v1/v2, a shuffled-label one, logits
    _, X_tr, X_te, y_tr, y_te = split(load_digits)
    write_jsonl(os.path.join(out, "digits-test.jsonl"), X_te, y_te)
    datasets["digits-test"] = {"file": "digits-test.jsonl", "rows": len(y_te), "labels": sorted({str(v) for v in y_te})}
    digits_classes = list(range(10))
    classifier("digits-forest", RandomForestClassifier(n_estimators=30, max_depth=10, random_state=0), "digits-test", X_tr, X_te, y_tr, y_te, digits_classes)
    v1 = classifier("digits-logreg", make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000)), "digits-test", X_tr, X_te, y_tr, y_te, digits_classes)
    # v2: same quality, trained on a different draw of the training rows
    sub = np.random.default_rng(1).choice(len(y_tr), size=int(len(y_tr) * 0.9), replace=False)
    v2 = classifier("digits-logreg-v2", make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000)), "digits-test", X_tr[sub], X_te, y_tr[sub], y_te, digits_classes)
    # a version that names other classes for most inputs: trained on labels shifted by one
    shifted = classifier("digits-logreg-shifted", make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000)), "digits-test", X_tr, X_te, (y_tr + 1) % 10, y_te, digits_classes)
    for a, b, ma, mb in [("digits-logreg", "digits-logreg-v2", v1, v2), ("digits-logreg", "digits-logreg-shifted", v1, shifted)]:
        pairs[f"{a}|{b}"] = float(np.mean(ma.predict(X_te) == mb.predict(X_te)))

    plain = LogisticRegression(max_iter=5000).fit(X_tr, y_tr)
    logits_model(plain, X_tr.shape[1], os.path.join(out, "digits-logits.onnx"))
    models["digits-logits"] = {
        "file": "digits-logits.onnx",
        "dataset": "digits-test",
        "task": "classification",
        "classes": [str(c) for c in digits_classes],
        "scores": "logits",
        "accuracy": float(accuracy_score(y_te, plain.predict(X_te))),
        "logLoss": float(log_loss(y_te, plain.predict_proba(X_te))),
    }

    # breast cancer, binary: gradient boosting (TreeEnsembleClassifier with a logistic transform)
    _, X_tr, X_te, y_tr, y_te = split(load_breast_cancer)
    write_jsonl(os.path.join(out, "breast-cancer-test.jsonl"), X_te, y_te)
    datasets["breast-cancer-test"] = {"file": "breast-cancer-test.jsonl", "rows": len(y_te), "labels": ["0", "1"]}
    classifier("breast-cancer-gboost", GradientBoostingClassifier(n_estimators=50, random_state=0), "breast-cancer-test", X_tr, X_te, y_tr, y_te, [0, 1])

    # wine: a multi-layer perceptron behind a scaler
    _, X_tr, X_te, y_tr, y_te = split(load_wine)
    write_jsonl(os.path.join(out, "wine-test.jsonl"), X_te, y_te)
    datasets["wine-test"] = {"file": "wine-test.jsonl", "rows": len(y_te), "labels": ["0", "1", "2"]}
    classifier("wine-mlp", make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(32,), max_iter=2000, random_state=0)), "wine-test", X_tr, X_te, y_tr, y_te, [0, 1, 2])

    # diabetes: a regressor
    _, X_tr, X_te, y_tr, y_te = split(load_diabetes)
    write_jsonl(os.path.join(out, "diabetes-test.jsonl"), X_te, y_te.astype(float))
    datasets["diabetes-test"] = {"file": "diabetes-test.jsonl", "rows": len(y_te), "labels": None}
    for name, alpha in [("diabetes-ridge", 0.1), ("diabetes-ridge-v2", 0.12)]:
        reg = Ridge(alpha=alpha).fit(X_tr, y_tr)
        export(reg, X_tr.shape[1], os.path.join(out, f"{name}.onnx"))
        models[name] = {
            "file": f"{name}.onnx",
            "dataset": "diabetes-test",
            "task": "regression",
            "classes": None,
            "scores": None,
            "mae": float(mean_absolute_error(y_te, reg.predict(X_te))),
        }

    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"models": models, "datasets": datasets, "agreement": pairs}, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
