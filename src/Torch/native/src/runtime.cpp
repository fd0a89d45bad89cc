// Process-wide settings and facts: errors, threads, seeds, versions, build configuration.
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/csrc/api/include/torch/version.h>

#include "common.h"

namespace mnr {
namespace {
thread_local std::string last_error;
thread_local bool has_error = false;
thread_local std::string string_result;
}  // namespace

std::atomic<int64_t> live_tensors{0};

void set_error(const char* message) {
  last_error = message ? message : "unknown error";
  has_error = true;
}
}  // namespace mnr

// Returns the last error of this thread and clears it; NULL when there is none. The pointer stays valid
// until the next failing call on this thread.
MNR_API const char* mnr_last_error() {
  if (!mnr::has_error) return nullptr;
  mnr::has_error = false;
  return mnr::last_error.c_str();
}

MNR_API int64_t mnr_live_tensor_count() { return mnr::live_tensors.load(); }

MNR_API int32_t mnr_set_num_threads(int32_t n){MNR_STATUS(at::set_num_threads(n))} MNR_API int32_t
    mnr_get_num_threads() {
  return at::get_num_threads();
}
MNR_API int32_t mnr_set_num_interop_threads(int32_t n){MNR_STATUS(at::set_num_interop_threads(n))}

MNR_API int32_t mnr_manual_seed(uint64_t seed){MNR_STATUS(at::manual_seed(seed))}

MNR_API int32_t mnr_cuda_is_available() {
  return at::hasCUDA() ? 1 : 0;
}
MNR_API int32_t mnr_cuda_device_count() {
  MNR_TRY return at::hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
  MNR_CATCH(-1)
}

MNR_API const char* mnr_version() { return TORCH_VERSION; }

// libtorch's build configuration (BLAS, oneDNN, OpenMP) and threading setup, as PyTorch prints them.
MNR_API const char* mnr_config() {
  MNR_TRY mnr::string_result = at::show_config() + "\n" + at::get_parallel_info();
  return mnr::string_result.c_str();
  MNR_CATCH(nullptr)
}
