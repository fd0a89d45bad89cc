// Neural-network functional ops: convolution, normalisation, pooling, losses, resampling.
#include "common.h"

MNR_API mnr_tensor mnr_conv2d(mnr_tensor input, mnr_tensor weight, mnr_tensor opt_bias, const int64_t* stride,
                              const int64_t* padding, const int64_t* dilation, int64_t groups){
    MNR_TENSOR(at::conv2d(*input, *weight, mnr::optional(opt_bias), mnr::dims(stride, 2),
                          mnr::dims(padding, 2), mnr::dims(dilation, 2), groups))} MNR_API mnr_tensor
    mnr_linear(mnr_tensor input, mnr_tensor weight,
               mnr_tensor opt_bias){MNR_TENSOR(at::linear(*input, *weight, mnr::optional(opt_bias)))}
// In training mode running_mean/var (if given) are updated in place, as in PyTorch.
MNR_API mnr_tensor
    mnr_batch_norm(mnr_tensor input, mnr_tensor opt_weight, mnr_tensor opt_bias, mnr_tensor opt_running_mean,
                   mnr_tensor opt_running_var, int32_t training, double momentum, double eps){
        MNR_TENSOR(at::batch_norm(*input, mnr::optional(opt_weight), mnr::optional(opt_bias),
                                  mnr::optional(opt_running_mean), mnr::optional(opt_running_var),
                                  training != 0, momentum, eps, /*cudnn_enabled=*/true))} MNR_API mnr_tensor
    mnr_max_pool2d(mnr_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                   const int64_t* dilation, int32_t ceil_mode){
        MNR_TENSOR(at::max_pool2d(*input, mnr::dims(kernel, 2), mnr::dims(stride, 2), mnr::dims(padding, 2),
                                  mnr::dims(dilation, 2), ceil_mode != 0))} MNR_API mnr_tensor
    mnr_avg_pool2d(mnr_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding){
        MNR_TENSOR(at::avg_pool2d(*input, mnr::dims(kernel, 2), mnr::dims(stride, 2),
                                  mnr::dims(padding, 2)))} MNR_API mnr_tensor
    mnr_adaptive_avg_pool2d(mnr_tensor input, const int64_t* output_size){
        MNR_TENSOR(at::adaptive_avg_pool2d(*input, mnr::dims(output_size, 2)))} MNR_API mnr_tensor
    mnr_dropout(mnr_tensor input, double p,
                int32_t training){MNR_TENSOR(at::dropout(*input, p, training != 0))}

MNR_API mnr_tensor mnr_softmax(mnr_tensor a, int64_t dim){MNR_TENSOR(at::softmax(*a, dim))} MNR_API mnr_tensor
    mnr_log_softmax(mnr_tensor a, int64_t dim){MNR_TENSOR(at::log_softmax(*a, dim))}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction).
MNR_API mnr_tensor mnr_cross_entropy(mnr_tensor input, mnr_tensor target, mnr_tensor opt_weight,
                                     int64_t reduction, int64_t ignore_index, double label_smoothing){
    MNR_TENSOR(at::cross_entropy_loss(*input, *target, mnr::optional(opt_weight), reduction, ignore_index,
                                      label_smoothing))} MNR_API mnr_tensor
    mnr_nll_loss(mnr_tensor input, mnr_tensor target, mnr_tensor opt_weight, int64_t reduction,
                 int64_t ignore_index){
        MNR_TENSOR(at::nll_loss_nd(*input, *target, mnr::optional(opt_weight), reduction,
                                   ignore_index))} MNR_API mnr_tensor
    mnr_mse_loss(mnr_tensor input, mnr_tensor target,
                 int64_t reduction){MNR_TENSOR(at::mse_loss(*input, *target, reduction))} MNR_API mnr_tensor
    mnr_bce_with_logits(mnr_tensor input, mnr_tensor target, mnr_tensor opt_weight, int64_t reduction){
        MNR_TENSOR(at::binary_cross_entropy_with_logits(*input, *target, mnr::optional(opt_weight),
                                                        c10::nullopt, reduction))}

// x / max(||x||_p, eps) along dim, as torch.nn.functional.normalize.
MNR_API mnr_tensor mnr_normalize(mnr_tensor a, double p, int64_t dim, double eps){
    MNR_TENSOR(*a / at::norm(*a, p, {dim}, /*keepdim=*/true).clamp_min(eps).expand_as(*a))}

// Resampling. mode 0 bilinear, 1 nearest, 2 bicubic (grid_sample: bilinear, nearest, bicubic);
// padding 0 zeros, 1 border, 2 reflection.
MNR_API mnr_tensor
    mnr_interpolate(mnr_tensor input, const int64_t* size, int32_t mode, int32_t align_corners) {
  MNR_TRY switch (mode) {
    case 0:
      return mnr::wrap(at::upsample_bilinear2d(*input, mnr::dims(size, 2), align_corners != 0));
    case 1:
      return mnr::wrap(at::upsample_nearest2d(*input, mnr::dims(size, 2)));
    case 2:
      return mnr::wrap(at::upsample_bicubic2d(*input, mnr::dims(size, 2), align_corners != 0));
    default:
      TORCH_CHECK(false, "unknown interpolation mode ", mode);
  }
  MNR_CATCH(nullptr)
}
MNR_API mnr_tensor mnr_affine_grid(mnr_tensor theta, const int64_t* size, int32_t n, int32_t align_corners){
    MNR_TENSOR(at::affine_grid_generator(*theta, mnr::dims(size, n), align_corners != 0))} MNR_API mnr_tensor
    mnr_grid_sample(mnr_tensor input, mnr_tensor grid, int32_t mode, int32_t padding, int32_t align_corners) {
  MNR_TENSOR(at::grid_sampler(*input, *grid, mode, padding, align_corners != 0))
}
