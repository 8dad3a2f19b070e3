"""PyTorch eager prefill of a Llama checkpoint, for PrefillAgainstTorchBenchmark.

A plain float32 forward pass in the shape of transformers' LlamaForCausalLM (RMSNorm, rotary positions with Llama 3
scaling, grouped-query attention through repeat_interleave, SwiGLU), run the way `generate` runs its prefill since
transformers 4.45: the whole prompt in one pass, the logit projection on the last position only. Reads the
safetensors file itself (its header is JSON after a little-endian u64 length), so it needs only torch.

Debian's python3-torch is built against the generic BLAS interface: with only the reference BLAS installed its
products run at a few GFLOP/s, so install an optimised one (apt-get install libopenblas0-pthread), which the BLAS
alternatives then select. The GEMM rate printed shows which one ran.

Usage: torch_prefill.py CHECKPOINT_DIR THREADS PROMPT_LENGTH BATCH[,BATCH...]
Prints one JSON object: the best of three timed prefills per batch size, and the last position's logits of row 0 of
the first batch (to check that both engines computed the same thing).
"""
import json
import math
import struct
import sys
import time

import torch


def load(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    types = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = torch.frombuffer(bytearray(data[start:end]), dtype=types[info["dtype"]])
        tensors[name] = raw.reshape(info["shape"]).float()
    return tensors


def inverse_frequencies(config):
    d = config["head_dim"]
    inv = 1.0 / (config["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    scaling = config.get("rope_scaling")
    if scaling:
        factor = scaling["factor"]
        low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
        original = scaling["original_max_position_embeddings"]
        wavelength = 2 * math.pi / inv
        out = torch.where(wavelength > original / low, inv / factor, inv)
        smooth = (original / wavelength - low) / (high - low)
        between = (wavelength <= original / low) & (wavelength >= original / high)
        inv = torch.where(between, (1 - smooth) * inv / factor + smooth * inv, out)
    return inv.float()


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate_half(t):
    half = t.shape[-1] // 2
    return torch.cat([-t[..., half:], t[..., :half]], -1)


def prefill(config, w, inv_freq, ids):
    batch, length = ids.shape
    heads, kv_heads, d = config["num_attention_heads"], config["num_key_value_heads"], config["head_dim"]
    eps = config["rms_norm_eps"]
    x = w["model.embed_tokens.weight"][ids]
    angles = torch.outer(torch.arange(length, dtype=torch.float32), inv_freq)
    both = torch.cat([angles, angles], -1)
    cos, sin = both.cos(), both.sin()
    causal = torch.full((length, length), float("-inf")).triu(1)
    for layer in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = (h @ w[p + "self_attn.q_proj.weight"].T).view(batch, length, heads, d).transpose(1, 2)
        k = (h @ w[p + "self_attn.k_proj.weight"].T).view(batch, length, kv_heads, d).transpose(1, 2)
        v = (h @ w[p + "self_attn.v_proj.weight"].T).view(batch, length, kv_heads, d).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(d) + causal
        context = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(batch, length, heads * d)
        x = x + context @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = h @ w[p + "mlp.gate_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    last = rms_norm(x[:, -1:], w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return last @ head.T


def gemm_rate():
    """GFLOP/s of a float32 [128, 512] x [512, 1376] product: which BLAS torch ended up with shows here."""
    a, b = torch.randn(128, 512), torch.randn(512, 1376)
    for _ in range(3):
        a @ b
    started = time.perf_counter()
    for _ in range(50):
        a @ b
    return 2 * 128 * 512 * 1376 * 50 / (time.perf_counter() - started) / 1e9


def main():
    directory, threads, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    batches = [int(b) for b in sys.argv[4].split(",")]
    torch.set_num_threads(threads)
    with open(directory + "/config.json") as f:
        config = json.load(f)
    config.setdefault("head_dim", config["hidden_size"] // config["num_attention_heads"])
    w = load(directory + "/model.safetensors")
    inv_freq = inverse_frequencies(config)
    result = {"torch": torch.__version__, "threads": threads, "seconds": {}, "gemm_gflops": gemm_rate()}
    with torch.inference_mode():
        for batch in batches:
            ids = torch.tensor([[1 + (r * 31 + t * 7) % 1000 for t in range(length)] for r in range(batch)])
            logits = prefill(config, w, inv_freq, ids)
            if "row0" not in result:
                result["row0"] = logits[0, -1].tolist()
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                prefill(config, w, inv_freq, ids)
                best = min(best, time.perf_counter() - started)
            result["seconds"][str(batch)] = best
    print(json.dumps(result))


if __name__ == "__main__":
    main()
