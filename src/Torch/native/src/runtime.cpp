// Process-wide settings and facts: errors, threads, seeds, versions, build configuration.
#include <ATen/detail/CUDAHooksInterface.h>
#include <malloc.h>
#include <torch/csrc/api/include/torch/version.h>

#include <cstdlib>

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

// Why: libtorch's CPU allocator takes every tensor straight from glibc malloc, which serves blocks above its
// mmap threshold (at most 32 MB, and activations of a ResNet18 batch are 8-64 MB) with fresh mmaps and trims
// freed heap tops back to the OS. Each training step then page-faults its whole working set in again: on
// 2 cores a third of the time went to the kernel. Keeping large blocks in the heap made a ResNet18 training
// step 1.3x and inference 1.5-2x faster (docs/results.md, bench) for a few percent more resident memory.
// Runs when the shim is loaded, before libtorch allocates; a MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_
// set by the user wins (glibc has applied it already).
namespace mnr {
namespace {
constexpr int kRetainBytes = 1 << 30;
int64_t tuned_mmap_threshold = 0;
int64_t tuned_trim_threshold = 0;

struct AllocatorTuning {
  AllocatorTuning() {
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_") && mallopt(M_MMAP_THRESHOLD, kRetainBytes) == 1)
      tuned_mmap_threshold = kRetainBytes;
    if (!std::getenv("MALLOC_TRIM_THRESHOLD_") && mallopt(M_TRIM_THRESHOLD, kRetainBytes) == 1)
      tuned_trim_threshold = kRetainBytes;
  }
} allocator_tuning;
}  // namespace
}  // namespace mnr

// The glibc thresholds this library set at load (0 where it left glibc's own or the user's setting).
MNR_API void mnr_allocator_tuning(int64_t* mmap_threshold, int64_t* trim_threshold) {
  *mmap_threshold = mnr::tuned_mmap_threshold;
  *trim_threshold = mnr::tuned_trim_threshold;
}

// Blocks glibc currently serves with mmap (mallinfo2's hblks): lets tests see the tuning at work.
MNR_API int64_t mnr_mmapped_block_count() { return static_cast<int64_t>(mallinfo2().hblks); }

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
