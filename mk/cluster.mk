# The base AMI (packer/). Region and credentials from the AWS environment.
#   make ami [PULSAR_VERSION=3.0.17] [ARCH=x86_64|arm64]
#   make ami-list
#   make ami-latest [PULSAR_VERSION=...]   prints only the ID
#   make ami-delete AMI=ami-...            the image and its snapshots
PACKER ?= packer
ARCH   ?= x86_64

.PHONY: ami ami-list ami-latest ami-delete

ami:
	@command -v $(PACKER) >/dev/null || { echo "ami: packer not found: install Packer >= 1.9 from HashiCorp (https://developer.hashicorp.com/packer/install), or PACKER=/path/to/packer" >&2; exit 1; }
	cd packer && $(PACKER) init pulsar-base.pkr.hcl && \
	  $(PACKER) build -var architecture=$(ARCH) \
	    $(if $(PULSAR_VERSION),-var pulsar_version=$(PULSAR_VERSION)) \
	    $(if $(AWS_REGION),-var region=$(AWS_REGION)) pulsar-base.pkr.hcl

ami-list:
	@packer/plc-ami list

ami-latest:
	@packer/plc-ami latest $(PULSAR_VERSION)

ami-delete:
	@test -n "$(AMI)" || { echo "usage: make ami-delete AMI=ami-..." >&2; exit 2; }
	@packer/plc-ami delete $(AMI)
