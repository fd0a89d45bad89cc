// Autograd: requires_grad, backward, gradients of inputs, and the thread-local grad mode.
#include "common.h"

MNR_API int32_t mnr_requires_grad(mnr_tensor t) { return t->requires_grad() ? 1 : 0; }
MNR_API int32_t mnr_set_requires_grad(mnr_tensor t, int32_t value){
    MNR_STATUS(t->requires_grad_(value != 0))} MNR_API int32_t mnr_is_leaf(mnr_tensor t) {
  return t->is_leaf() ? 1 : 0;
}

// grad may be NULL for a scalar output (implicit gradient 1).
MNR_API int32_t mnr_backward(mnr_tensor t, mnr_tensor opt_grad, int32_t retain_graph, int32_t create_graph){
    MNR_STATUS(t->backward(opt_grad ? *opt_grad : at::Tensor(), retain_graph != 0, create_graph != 0))}

// The accumulated gradient, or NULL in *out when there is none yet (not an error).
MNR_API int32_t mnr_grad(mnr_tensor t, mnr_tensor* out) {
  MNR_TRY const at::Tensor& g = t->grad();
  *out = g.defined() ? mnr::wrap(g) : nullptr;
  return 0;
  MNR_CATCH(-1)
}
// Sets or (with NULL) clears the gradient; clearing is zero_grad(set_to_none=True).
MNR_API int32_t mnr_set_grad(mnr_tensor t,
                             mnr_tensor opt_g){MNR_STATUS(t->mutable_grad() = opt_g ? *opt_g : at::Tensor())}

MNR_API mnr_tensor mnr_detach(mnr_tensor t){MNR_TENSOR(t->detach())} MNR_API int32_t
    mnr_detach_(mnr_tensor t){MNR_STATUS(t->detach_())}

// d(outputs)/d(inputs) without touching .grad, as torch.autograd.grad; writes one handle per input
// (NULL where allow_unused and the input was not used).
MNR_API int32_t mnr_autograd_grad(const mnr_tensor* outputs, int32_t n_out, const mnr_tensor* inputs,
                                  int32_t n_in, const mnr_tensor* grad_outputs, int32_t retain_graph,
                                  int32_t create_graph, int32_t allow_unused, mnr_tensor* result) {
  MNR_TRY std::vector<at::Tensor> go;
  if (grad_outputs) go = mnr::list(grad_outputs, n_out);
  auto grads = torch::autograd::grad(
      mnr::list(outputs, n_out), mnr::list(inputs, n_in), go,
      retain_graph != 0 ? c10::optional<bool>(true) : c10::optional<bool>(create_graph != 0),
      create_graph != 0, allow_unused != 0);
  for (int32_t k = 0; k < n_in; ++k) result[k] = grads[k].defined() ? mnr::wrap(grads[k]) : nullptr;
  return 0;
  MNR_CATCH(-1)
}

MNR_API int32_t mnr_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
MNR_API void mnr_set_grad_enabled(int32_t enabled) { at::GradMode::set_enabled(enabled != 0); }
