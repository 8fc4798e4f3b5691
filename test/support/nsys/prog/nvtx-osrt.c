/*
 * A CPU-only program for `nsys profile -t nvtx,osrt`: NVTX v3 ranges (header-only API) around
 * sleeps, so nvtx_sum and osrt_sum have known rows without a GPU.
 *
 *   nvtx-osrt [exit-code]
 *
 * Ranges (default domain unless noted), in this order on the main thread:
 *   forward            push/pop x3, each around usleep(2000)
 *   step, "warmup"     push/pop x1 around usleep(1000)   (comma and quotes: CSV quoting quirk)
 *   vllm:execute_model push/pop x1 in domain "vllm", around usleep(1000)
 *   load               start/end x1 around nanosleep(1 ms)
 * OS runtime calls: usleep x5, nanosleep x1.
 *
 * Build: gcc -I<dir containing nvtx3/> nvtx-osrt.c -o nvtx-osrt -ldl
 * (the NVTX v3 headers are vendored beside this file; /usr/local/cuda/include works too).
 */
#include <nvtx3/nvToolsExt.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int i;
  for (i = 0; i < 3; i++) {
    nvtxRangePushA("forward");
    usleep(2000);
    nvtxRangePop();
  }

  nvtxRangePushA("step, \"warmup\"");
  usleep(1000);
  nvtxRangePop();

  nvtxDomainHandle_t domain = nvtxDomainCreateA("vllm");
  nvtxEventAttributes_t attr = {0};
  attr.version = NVTX_VERSION;
  attr.size = NVTX_EVENT_ATTRIB_STRUCT_SIZE;
  attr.messageType = NVTX_MESSAGE_TYPE_ASCII;
  attr.message.ascii = "execute_model";
  nvtxDomainRangePushEx(domain, &attr);
  usleep(1000);
  nvtxDomainRangePop(domain);

  nvtxRangeId_t load = nvtxRangeStartA("load");
  struct timespec ts = {0, 1000000};
  nanosleep(&ts, NULL);
  nvtxRangeEnd(load);

  return argc > 1 ? atoi(argv[1]) : 0;
}
