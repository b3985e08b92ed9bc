#pragma once
// The arithmetic of one optimizer step, with PyTorch's update rules, so runs compare one to
// one. Every backend applies exactly this to each element:
//   g' = s * g + weightDecay * p                (L2, as torch.optim does)
//   where s = min(1, clipNorm / (|G| + 1e-6)) with |G| the L2 norm of all the gradients
//   together, when clipNorm > 0 (torch.nn.utils.clip_grad_norm_); else s = 1
//   sgd:       p -= lr * g'
//   momentum:  v = mu*v + g';            p -= lr * v
//   nesterov:  v = mu*v + g';            p -= lr * (g' + mu*v)
//   adam:      m = 0.9m + 0.1g';  v = 0.999v + 0.001g'^2;
//              p -= lr * (m / bias1) / (sqrt(v / bias2) + 1e-8)

namespace nc::engine {

class Tensor;

struct OptimizerRule {
    enum class Kind { Sgd, Momentum, Nesterov, Adam };
    Kind kind = Kind::Nesterov;
    float lr = 0.01f;
    float momentum = 0.9f;
    float weightDecay = 0.0f;
    float clipNorm = 0.0f; // 0: no clipping
    // Adam's bias corrections for this step: 1 - 0.9^t and 1 - 0.999^t.
    double bias1 = 1.0, bias2 = 1.0;
    // When set, lr, bias1 and bias2 are read from this StepValues (stepvalues.h, on the
    // backend's device) when the update runs, instead of the numbers above.
    const Tensor* stepValues = nullptr;
};

} // namespace nc::engine
